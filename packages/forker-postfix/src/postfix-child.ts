/**
 * One process started by the Postfix master for a master.cf service (forker-protocols.md §1): it
 * listens on the inherited sockets (fd 6 … 6+N−1, with the backlog as listen()'s 2nd argument, §1.9),
 * reports to master on fd 5, and exits on EOF of fd 5 (reload, master gone), on SIGTERM (postfix stop,
 * service removed), after max_idle without a client and, resident, after max_use clients.
 *
 * Models (option postfix_model):
 * - `single` (default): one client per process. After accept the process stops accepting and sends
 *   TAKEN; it exits when the client is gone (exit replaces AVAIL). Master then sees every busy process
 *   and forks another one only while total < maxproc, so **maxproc limits concurrent clients**, the
 *   way Postfix's own services behave. The price is a process start per client.
 * - `resident`: one process accepts every client concurrently and never reports TAKEN per client, so
 *   master never starts a second process and maxproc has no effect; ~0.7 ms to the greeting instead of
 *   a process start.
 *
 * Throttling: master throttles a service for 60 s when a child exits non-zero or by a signal before
 * it ever went TAKEN→AVAIL (§1.7, "bad command startup"). A startup failure must be throttled, a
 * crash or `kill` during a session must not. So on its first accept a process reports one
 * TAKEN→AVAIL transition (master counts a use), and then its real state: single sends TAKEN, AVAIL,
 * TAKEN; resident sends TAKEN, AVAIL. Nothing is sent at startup: a TAKEN there would make master fork
 * a second process for the connection that is still waiting to be accepted.
 *
 * Privileges: the process starts as root (`-u` is only a flag, §1.4); the effective uid is dropped to
 * postfix_user before any client byte is read, and regained by the session launcher only to create
 * the home and spawn the backend (DESIGN.md "Privileges").
 */
import { createServer, type Server, type Socket } from 'node:net';
import {
  RejectReason,
  dropPrivileges,
  resolveServiceUser,
  serveAcceptedSocket,
  type AcceptedClient,
  type Application,
  type GreetingSent,
  type ConnectionFactory,
  type Logger,
} from '@pigeondeliver/core';
import { MASTER_LISTEN_FD, MasterAvailability, type MasterStatusChannel } from './master-status.js';
import type { MasterArguments } from './master-argv.js';
import { POSTFIX_OPTIONS, type PostfixModel } from './postfix-options.js';

/** Settings of a {@link PostfixChild}, from options. */
export interface PostfixChildSettings {
  readonly model: PostfixModel;
  readonly maxUse: number;
  readonly maxIdle: number;
  readonly backlog: number;
  readonly implicitTls: boolean;
  readonly shutdownTimeout: number;
}

/** Reads {@link PostfixChildSettings} from the application's options. */
export function childSettingsOf(app: Application): PostfixChildSettings {
  const o = app.options;
  return {
    model: o.get(POSTFIX_OPTIONS.model),
    maxUse: o.get(POSTFIX_OPTIONS.maxUse),
    maxIdle: o.get(POSTFIX_OPTIONS.maxIdle),
    backlog: o.get(POSTFIX_OPTIONS.backlog),
    implicitTls: o.get(POSTFIX_OPTIONS.implicitTls),
    shutdownTimeout: o.get(POSTFIX_OPTIONS.shutdownTimeout),
  };
}

/** What the child needs from its surroundings (injected so that tests can drive it). */
export interface PostfixChildDeps {
  readonly app: Application;
  readonly master: MasterArguments;
  readonly status: MasterStatusChannel;
  readonly factory: ConnectionFactory;
  readonly settings: PostfixChildSettings;
  readonly log: Logger;
  /** Ends the process (flushes logs first). */
  readonly exit: (code: number) => void;
  /** First listen descriptor (6 under master). */
  readonly firstListenFd?: number;
}

/**
 * A client the greeting-first start (postfix-main.ts) already accepted and greeted, with the listen
 * sockets closed and nothing reported to master yet: the child reports TAKEN/AVAIL/TAKEN and serves
 * it instead of listening.
 */
export interface FirstClient {
  readonly socket: Socket;
  /** The greeting already written; undefined when the login plugin has no light greeter (the service greets). */
  readonly greeted?: GreetingSent;
}

/** See the file comment. */
export class PostfixChild {
  private readonly servers: Server[] = [];
  private readonly clients = new Set<AcceptedClient>();
  private served = 0;
  private stopping = false;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly deps: PostfixChildDeps) {}

  /**
   * Drops privileges, listens (or serves `first`, accepted before the application was loaded),
   * watches master and signals; resolves once listening. Throws on startup errors.
   */
  async start(first?: FirstClient): Promise<void> {
    const { app, settings, status, log, master } = this.deps;
    // One real database round trip while still root: an unreachable database is a startup error
    // (throttled by master), and a SQLite file is opened before the effective uid changes.
    await (app.database as { connect?: () => Promise<void> } | undefined)?.connect?.();
    if (process.geteuid?.() === 0) {
      const user = resolveServiceUser(app.options.get(POSTFIX_OPTIONS.user), 'postfix_user');
      dropPrivileges(user.uid, user.gid);
    }
    const firstFd = this.deps.firstListenFd ?? MASTER_LISTEN_FD;
    if (!first) for (let fd = firstFd; fd < firstFd + master.socketCount; fd++) await this.listen(fd);
    status.watchEnd((reason) => this.drain(reason));
    process.on('SIGTERM', () => this.terminate('SIGTERM'));
    log.info(
      { model: settings.model, service: master.serviceName, sockets: master.socketCount, stress: app.options.get(POSTFIX_OPTIONS.stress) || undefined, euid: process.geteuid?.() },
      'ready',
    );
    if (first) {
      // The report postfix-main's early accept held back until the application loaded (see accept()).
      status.send(MasterAvailability.Taken);
      status.send(MasterAvailability.Avail);
      status.send(MasterAvailability.Taken);
      this.serve(first.socket, first.greeted);
    } else this.armIdle();
  }

  private listen(fd: number): Promise<void> {
    const server = createServer({ pauseOnConnect: true }, (socket) => this.accept(socket));
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', (e) => reject(new Error(`cannot listen on descriptor ${fd} from the Postfix master: ${e.message}`)));
      // Node ignores options.backlog when options.fd is given: the backlog must be the 2nd argument (§1.9).
      server.listen({ fd }, this.deps.settings.backlog, () => {
        server.removeAllListeners('error');
        server.on('error', (e) => this.deps.log.error({ err: e.message, fd }, 'listen socket error'));
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    const { settings, status, log } = this.deps;
    if (settings.model === 'single') {
      // close() inside the connection callback stops libuv's accept loop (§1.11): this process takes no other client.
      this.stopAccepting();
    }
    if (this.served === 0) {
      // The first use: one TAKEN→AVAIL transition, so that a later crash is not "bad command startup".
      status.send(MasterAvailability.Taken);
      status.send(MasterAvailability.Avail);
    }
    if (settings.model === 'single' && !status.send(MasterAvailability.Taken)) log.debug('TAKEN not delivered: master closed the status channel');
    this.serve(socket);
  }

  private serve(socket: Socket, greeted?: GreetingSent): void {
    const { app, factory, settings } = this.deps;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.served++;
    const client = serveAcceptedSocket(
      socket,
      { factory, loginService: app.loginService!, implicitTls: settings.implicitTls, refuseNew: () => this.stopping && settings.model === 'resident' },
      (c) => this.finished(c),
      greeted,
    );
    this.clients.add(client);
  }

  /** A client is finished when its handler returned and our socket is closed (handed off or gone). */
  private finished(client: AcceptedClient): void {
    if (!this.clients.has(client)) return;
    this.clients.delete(client);
    const { settings } = this.deps;
    if (settings.model === 'single') {
      this.stopping = true;
    } else if (settings.maxUse > 0 && this.served >= settings.maxUse && !this.stopping) {
      this.drain(`max_use ${settings.maxUse} reached`);
      return;
    }
    this.armIdle();
    this.maybeExit();
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const ms = this.deps.settings.maxIdle;
    if (ms <= 0 || this.clients.size > 0 || this.stopping) return;
    this.idleTimer = setTimeout(() => this.drain(`idle for max_idle ${ms / 1000}s`), ms);
  }

  private stopAccepting(): void {
    for (const s of this.servers) if (s.listening) s.close();
  }

  /** Stops accepting; exits once the clients this process holds are finished. */
  drain(reason: string): void {
    if (!this.stopping) this.deps.log.info({ reason, clients: this.clients.size }, 'stopping');
    this.stopping = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.stopAccepting();
    this.maybeExit();
  }

  /** SIGTERM: postfix stop or the service was removed. Pre-login clients are told goodbye, then the process exits. */
  terminate(signal: string): void {
    this.deps.log.info({ signal, clients: this.clients.size }, 'terminating');
    this.stopping = true;
    this.stopAccepting();
    for (const c of this.clients) {
      if (c.preLogin && c.conn && !c.closed) this.deps.app.loginService!.reject(c.conn, RejectReason.ServerShuttingDown);
    }
    const t = setTimeout(() => this.deps.exit(0), this.clients.size > 0 ? this.deps.settings.shutdownTimeout : 0);
    t.unref();
    this.maybeExit();
  }

  private maybeExit(): void {
    if (this.stopping && this.clients.size === 0) this.deps.exit(0);
  }
}

export { BACKEND_STDERR_KEY, defaultBackendStderr } from './postfix-options.js';
