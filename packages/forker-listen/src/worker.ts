/**
 * A worker process of pd-forker-listen: runs unprivileged, builds one Application per login service
 * its listeners need (core's createApplication, with the IPC launcher), listens on the sockets the
 * primary owns (Node's cluster shares the primary's bound handles: the kernel hands each accepted
 * connection to one worker), and serves each client: PROXY header, admission by the primary, implicit
 * TLS, then the login service. Client bytes are only ever parsed here, never as root.
 */
import cluster from 'node:cluster';
import { createServer, type Server, type Socket } from 'node:net';
import {
  canonicalAddress,
  ConnectionFactory,
  createApplication,
  CORE_OPTIONS,
  describeError,
  formatEndpoint,
  NetworkSet,
  newSessionId,
  RejectReason,
  releaseToProtocol,
  secureContextOf,
  sniContextsOf,
  socketEndpoints,
  type Application,
  type ConnectionTls,
  type Endpoint,
  type ResolvedOptions,
  type SocketConnection,
} from '@pigeondeliver/core';
import { IpcSessionLauncher } from './ipc-session-launcher.js';
import type { BoundAddress, PrimaryMessage, WorkerListener } from './ipc-messages.js';
import { LISTEN_OPTIONS, LISTEN_OPTION_SPECS } from './listen-options.js';
import { ParkedAdmissions } from './parked-admissions.js';
import { PROGRAM } from './program-name.js';
import { readProxyHeader, ProxyHeaderError } from './proxy-header.js';
import { WorkerChannel } from './worker-channel.js';

/** One client the worker holds. */
interface Held {
  readonly socket: Socket;
  preLogin: boolean;
  conn?: SocketConnection;
  app?: Application;
}

/** Settings the worker derives from its options. */
interface WorkerSettings {
  readonly proxyNetworks: NetworkSet;
  readonly trustedNetworks: NetworkSet;
  readonly proxyTimeout: number;
  readonly handshakeTimeout: number;
  readonly backlog: number;
}

/** See the file comment. */
export class ListenWorker {
  private readonly apps = new Map<string, Application>();
  private readonly servers: Server[] = [];
  private readonly held = new Set<Held>();
  private settings!: WorkerSettings;
  /** Implicit TLS for /tls listeners; STARTTLS is added by the login service (login-common's withStartTls). */
  private tls?: ConnectionTls;
  private stopping = false;
  /** Admissions of finished connections, kept for the next ones from the same address (parked-admissions.ts). */
  private parked = new ParkedAdmissions(0, (ip) => this.releaseAdmission(ip));
  private drainedSent = false;
  private shutdownTimer?: NodeJS.Timeout;

  constructor(
    private readonly channel: WorkerChannel,
    private readonly argv: readonly string[],
  ) {}

  /** Waits for the primary's plan, then starts. Startup failures go to the primary as one line. */
  run(): void {
    this.channel.onMessage((m) => {
      if (m.t === 'init') void this.start(m).catch((e: unknown) => this.fatal(e));
      else if (m.t === 'reclaim') {
        this.parked.releaseAll();
        this.channel.notify({ t: 'reclaimed' }); // after the releases, in the same batch
      } else if (m.t === 'retire') this.stop(undefined);
      else if (m.t === 'shutdown') this.stop(m.timeoutMs);
    });
    this.channel.notify({ t: 'hello' });
  }

  private async start(init: Extract<PrimaryMessage, { t: 'init' }>): Promise<void> {
    this.parked = new ParkedAdmissions(init.parkMs ?? 0, (ip) => this.releaseAdmission(ip));
    const launcher = new IpcSessionLauncher(this.channel);
    for (const service of new Set(init.listeners.map((l) => l.service))) {
      const app = await createApplication({
        argv: [...this.argv, '-o', `dscm_service=${service}`],
        program: PROGRAM,
        extraOptions: LISTEN_OPTION_SPECS,
        login: true,
        launcher,
      });
      this.apps.set(service, app);
    }
    const options = [...this.apps.values()][0]!.options;
    this.settings = settingsOf(options);
    if (init.tls) {
      this.tls = {
        context: secureContextOf(init.tls),
        contextFor: sniContextsOf(init.tls),
        requestCert: init.tls.requestCert,
        handshakeTimeout: this.settings.handshakeTimeout,
        offerStartTls: false,
      };
    }
    const bound: BoundAddress[] = [];
    for (const listener of init.listeners) {
      for (const binding of listener.bindings) bound.push(await this.listen(listener, binding));
    }
    this.channel.notify({ t: 'ready', listeners: bound });
  }

  private listen(listener: WorkerListener, binding: WorkerListener['bindings'][number]): Promise<BoundAddress> {
    const app = this.apps.get(listener.service)!;
    const factory = new ConnectionFactory({ logger: app.logger, trustedNetworks: this.settings.trustedNetworks, tls: this.tls, fields: { listener: listener.name } });
    const server = createServer({ pauseOnConnect: true }, (socket) => this.accept(listener, app, factory, socket));
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        const where = binding.kind === 'fd' ? `systemd socket fd ${binding.fd}` : `${binding.address.includes(':') ? `[${binding.address}]` : binding.address}:${binding.port}`;
        const why = e.code === 'EADDRINUSE' ? 'address already in use' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EADDRNOTAVAIL' ? 'address not available on this host' : e.message;
        reject(new Error(`cannot listen on ${listener.name}=${where}: ${why}`));
      });
      const onListening = () => {
        const a = server.address();
        const address = a && typeof a === 'object' ? canonicalAddress(a.address) : '';
        const port = a && typeof a === 'object' ? a.port : 0;
        resolve({ name: listener.name, address, port });
      };
      if (binding.kind === 'fd') server.listen({ fd: binding.fd, backlog: this.settings.backlog }, onListening);
      else server.listen({ host: binding.address, port: binding.port, backlog: this.settings.backlog, ipv6Only: false }, onListening);
    });
  }

  private accept(listener: WorkerListener, app: Application, factory: ConnectionFactory, socket: Socket): void {
    const h: Held = { socket, preLogin: true, app };
    this.held.add(h);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      this.held.delete(h);
      this.checkDone();
    });
    void this.serve(listener, app, factory, h).catch((e: unknown) => {
      app.logger.error({ err: (e as Error).message, stack: (e as Error).stack }, 'connection handler failed');
      socket.destroy();
    });
  }

  private async serve(listener: WorkerListener, app: Application, factory: ConnectionFactory, h: Held): Promise<void> {
    const socket = h.socket;
    const sessionId = newSessionId();
    const { remote: peer, local: ownLocal } = socketEndpoints(socket);
    let remote = peer;
    let local: Endpoint = ownLocal;
    let prefix: Buffer = Buffer.alloc(0);
    // Made only for the PROXY warnings: an idle connection keeps one child logger (its connection's), not two.
    const log0 = () => app.logger.child({ session: sessionId, listener: listener.name });
    if (this.stopping) return void socket.destroy();

    if (listener.proxy) {
      if (!this.settings.proxyNetworks.contains(peer.address)) {
        log0().warn({ peer: formatEndpoint(peer) }, 'PROXY listener: peer is not in listen_proxy_networks, connection closed');
        return void socket.destroy();
      }
      try {
        const header = await readProxyHeader(socket, this.settings.proxyTimeout);
        if (header.remote) remote = header.remote;
        if (header.local) local = header.local;
        prefix = header.rest;
      } catch (e) {
        const failure = e instanceof ProxyHeaderError ? e.failure : 'error';
        log0().warn({ peer: formatEndpoint(peer), failure, reason: (e as Error).message }, 'PROXY header refused, connection closed');
        return void socket.destroy();
      }
    }

    let reason: RejectReason | undefined;
    // An admission this worker kept from a finished connection of the same address needs no round trip.
    if (!this.parked.take(remote.address)) {
      try {
        const reply = await this.channel.request<{ t: 'admit-reply'; id: number; reason?: RejectReason }>({ t: 'admit', ip: remote.address });
        reason = reply.reason;
      } catch {
        reason = RejectReason.ServerShuttingDown;
      }
    }
    const admitted = reason === undefined;
    const release = () => {
      if (admitted) this.parked.park(remote.address);
    };
    if (socket.destroyed) return release();
    const conn = factory.fromSocket(socket, { sessionId, remote, local, prefix });
    const log = conn.log;
    // Debug, as Dovecot's login processes keep connects out of the info log: the authentication line
    // has the addresses, and a client that leaves without logging in gets a line of its own.
    log.debug({ local: formatEndpoint(local), proxied: listener.proxy ? formatEndpoint(peer) : undefined, tls: listener.tls }, 'connect');
    h.conn = conn;
    if (listener.tls) {
      try {
        await conn.startImplicitTls();
      } catch (e) {
        log.info({ reason: (e as Error).message }, 'TLS handshake failed');
        conn.close();
        return release();
      }
    } else {
      releaseToProtocol(socket);
    }
    if (reason === undefined && this.stopping) reason = RejectReason.ServerShuttingDown;
    if (reason !== undefined) {
      log.warn({ reason }, 'connection refused');
      app.loginService!.reject(conn, reason);
      return release();
    }
    try {
      await app.loginService!.handle(conn);
    } finally {
      h.preLogin = false;
      release();
      this.checkDone();
    }
  }

  /** Gives one admission of `ip` back to the primary (with its next message, or within 20 ms). */
  private releaseAdmission(ip: string): void {
    this.channel.notify({ t: 'release', ip }, 'later');
  }

  /**
   * Stops accepting. Retire (SIGHUP, no timeout): pre-login clients may finish. Shutdown (SIGTERM):
   * after `timeoutMs` they are told goodbye. Either way, once none is left the primary is told and the
   * channel closed; sessions this worker still relays (TLS) keep the process until they end.
   */
  private stop(timeoutMs: number | undefined): void {
    this.stopping = true;
    this.parked.close();
    for (const s of this.servers) s.close();
    if (timeoutMs !== undefined && !this.shutdownTimer) {
      this.shutdownTimer = setTimeout(() => {
        for (const h of this.held) {
          if (h.preLogin && h.conn && h.app?.loginService) h.app.loginService.reject(h.conn, RejectReason.ServerShuttingDown);
          else if (h.preLogin) h.socket.destroy();
        }
      }, timeoutMs);
      this.shutdownTimer.unref();
    }
    this.checkDone();
  }

  private checkDone(): void {
    if (!this.stopping) return;
    if (!this.drainedSent && ![...this.held].some((h) => h.preLogin)) {
      this.drainedSent = true;
      if (this.shutdownTimer) clearTimeout(this.shutdownTimer);
      void this.closeApps().finally(() => {
        this.channel.notify({ t: 'drained' });
        if (cluster.worker) cluster.worker.disconnect();
        this.checkDone();
      });
      return;
    }
    if (this.drainedSent && this.held.size === 0) setImmediate(() => process.exit(0));
  }

  private async closeApps(): Promise<void> {
    for (const app of this.apps.values()) {
      try {
        await app.close();
      } catch {
        /* closing on the way out */
      }
    }
  }

  private fatal(e: unknown): void {
    const { message, exitCode } = describeError(PROGRAM, e);
    if (!this.channel.notify({ t: 'fatal', message, exitCode })) process.stderr.write(message + '\n');
    setImmediate(() => process.exit(exitCode));
  }
}

function settingsOf(options: ResolvedOptions): WorkerSettings {
  const trusted = options.get(CORE_OPTIONS.trustedNetworks);
  const proxy = options.get(LISTEN_OPTIONS.proxyNetworks);
  return {
    trustedNetworks: networks(trusted, 'trusted_networks'),
    proxyNetworks: networks(proxy.length > 0 ? proxy : trusted, proxy.length > 0 ? 'listen_proxy_networks' : 'trusted_networks'),
    proxyTimeout: options.get(LISTEN_OPTIONS.proxyTimeout),
    handshakeTimeout: options.get(LISTEN_OPTIONS.tlsHandshakeTimeout),
    backlog: options.get(LISTEN_OPTIONS.backlog),
  };
}

/** Parses a CIDR list option; the primary has already validated it, so errors here are unexpected. */
export function networks(list: readonly string[], key: string): NetworkSet {
  try {
    return new NetworkSet(list);
  } catch (e) {
    throw new Error(`bad value for ${key}: ${(e as Error).message}`);
  }
}
