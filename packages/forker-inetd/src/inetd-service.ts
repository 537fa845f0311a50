/**
 * Serving clients under inetd (forker-protocols.md §2), in the mode the descriptor says:
 * - `nowait`: fd 0 (= 1 = 2) is the client's connected socket; one process per connection, which
 *   exits when its client is finished (handed to the backend, or gone).
 * - `wait`: fd 0 is inetd's listening socket; this process accepts (inetd stops polling the socket
 *   until we exit), serves clients concurrently and exits after inetd_idle_timeout without a client.
 *   The backlog is passed as listen()'s 2nd argument, as Node ignores `options.backlog` with an fd (§1.9).
 * The client address comes from the socket itself (inetd sets no environment, §2.2). Before any
 * client byte is read the effective uid is dropped to inetd_user when we run as root; the session
 * launcher regains root only to create the home and start the backend.
 */
import { createServer, type Server, type Socket } from 'node:net';
import {
  RejectReason,
  dropPrivileges,
  resolveServiceUser,
  serveAcceptedSocket,
  type AcceptedClient,
  type Application,
  type ConnectionFactory,
  type GreetingSent,
  type Logger,
} from '@pigeondeliver/core';
import { INETD_OPTIONS } from './inetd-options.js';

/** Settings of an {@link InetdService}. */
export interface InetdSettings {
  readonly idleTimeout: number;
  readonly backlog: number;
  readonly implicitTls: boolean;
  readonly shutdownTimeout: number;
}

/** Reads {@link InetdSettings} from the application's options. */
export function inetdSettingsOf(app: Application): InetdSettings {
  const o = app.options;
  return {
    idleTimeout: o.get(INETD_OPTIONS.idleTimeout),
    backlog: o.get(INETD_OPTIONS.backlog),
    implicitTls: o.get(INETD_OPTIONS.implicitTls),
    shutdownTimeout: o.get(INETD_OPTIONS.shutdownTimeout),
  };
}

/** What the service needs (injected so that tests can drive it). */
export interface InetdDeps {
  readonly app: Application;
  readonly factory: ConnectionFactory;
  readonly settings: InetdSettings;
  readonly log: Logger;
  /** Ends the process. */
  readonly exit: (code: number) => void;
}

/** See the file comment. */
export class InetdService {
  private readonly clients = new Set<AcceptedClient>();
  private server?: Server;
  private stopping = false;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly deps: InetdDeps) {}

  /** Switches the effective uid (when root) before the first client read. */
  dropPrivileges(): void {
    if (process.geteuid?.() !== 0) return;
    const user = resolveServiceUser(this.deps.app.options.get(INETD_OPTIONS.user), 'inetd_user');
    dropPrivileges(user.uid, user.gid);
  }

  /**
   * nowait: serves the one client on `socket` (made from fd 0); exits when it is finished. `greeted`:
   * inetd-main already wrote the greeting (docs/architecture.md "Greeting first").
   */
  runNowait(socket: Socket, greeted?: GreetingSent): void {
    this.stopping = true; // one client, then exit
    process.on('SIGTERM', () => this.terminate());
    this.accept(socket, greeted);
  }

  /** wait: accepts on the listening descriptor `fd` until idle. Resolves once listening. */
  runWait(fd: number): Promise<void> {
    const server = createServer({ pauseOnConnect: true }, (socket) => this.accept(socket));
    this.server = server;
    process.on('SIGTERM', () => this.terminate());
    return new Promise((resolve, reject) => {
      server.once('error', (e) => reject(new Error(`cannot listen on descriptor ${fd} from inetd: ${e.message}`)));
      server.listen({ fd }, this.deps.settings.backlog, () => {
        server.removeAllListeners('error');
        server.on('error', (e) => this.deps.log.error({ err: e.message }, 'listen socket error'));
        this.deps.log.info({ euid: process.geteuid?.() }, 'wait mode: accepting');
        this.armIdle();
        resolve();
      });
    });
  }

  private accept(socket: Socket, greeted?: GreetingSent): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const { app, factory, settings } = this.deps;
    const client = serveAcceptedSocket(
      socket,
      { factory, loginService: app.loginService!, implicitTls: settings.implicitTls, refuseNew: () => this.server !== undefined && this.stopping },
      (c) => this.finished(c),
      greeted,
    );
    this.clients.add(client);
  }

  private finished(client: AcceptedClient): void {
    if (!this.clients.has(client)) return;
    this.clients.delete(client);
    this.armIdle();
    this.maybeExit();
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const ms = this.deps.settings.idleTimeout;
    if (!this.server || this.stopping || this.clients.size > 0 || ms <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.deps.log.info({ idleMs: ms }, 'idle: exiting (inetd listens again)');
      this.stopping = true;
      // Our copy only: inetd keeps its own descriptor of the listening socket.
      this.server?.close();
      this.maybeExit();
    }, ms);
  }

  /** SIGTERM: pre-login clients are told goodbye, then the process exits. */
  private terminate(): void {
    this.deps.log.info({ clients: this.clients.size }, 'SIGTERM: exiting');
    this.stopping = true;
    this.server?.close();
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
