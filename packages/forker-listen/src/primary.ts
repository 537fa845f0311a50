/**
 * The privileged primary of pd-forker-listen. It owns the listening sockets (bound here, or passed by
 * systemd), forks the unprivileged workers through Node's cluster module with SCHED_NONE (the workers
 * accept on the primary's handles; the primary never accepts), keeps the daemon-wide connection
 * limits, and runs the privileged half of each local handoff: a worker sends the LaunchRequest with
 * the client socket, the primary starts the mail server as the user. It never reads a client byte.
 *
 * Signals: SIGHUP re-reads the configuration and replaces the workers (new ones listen first, then the
 * old ones stop accepting and leave once their pre-login clients are done); SIGTERM/SIGINT stop
 * accepting and give pre-login clients listen_shutdown_timeout. Backend sessions are detached children:
 * neither signal touches them.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  CORE_OPTIONS,
  createLogger,
  detachSocketReader,
  readTlsMaterial,
  RejectReason,
  type Application,
  type ISessionLauncher,
  type Logger,
  type TlsMaterial,
} from '@pigeondeliver/core';
import { Admission, type AdmissionLimits } from './admission.js';
import { AdmissionReclaim } from './admission-reclaim.js';
import { PARK_MS } from './parked-admissions.js';
import { batchOf, MAX_BATCH, parseWorkerMessage, unbatch, type BoundAddress, type WorkerListener, type WorkerMessage } from './ipc-messages.js';
import { hostBackends, launchAllowList, type DelegatingBackend } from './hosted-backends.js';
import { LISTEN_OPTIONS } from './listen-options.js';
import { serviceOf } from './listener-spec.js';
import { readPrimaryConfig, type PrimaryConfig } from './primary-options.js';
import { PROGRAM } from './program-name.js';
import { planListeners, takeActivatedSockets, type ActivatedSocket } from './systemd-activation.js';
import { networks } from './worker.js';
import { resolveWorkerUser, type WorkerUser } from './worker-user.js';

/** A startup failure reported by a worker: its one line and exit code. */
export class WorkerStartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'WorkerStartupError';
  }
}

/** Everything one generation of workers is started with. */
interface Generation {
  readonly number: number;
  readonly workers: Set<Worker>;
  readonly listeners: readonly WorkerListener[];
  readonly tls?: TlsMaterial;
  readonly size: number;
}

/** Builds the launcher that runs in the primary (core's in-process launcher). */
export type LauncherFactory = (config: PrimaryConfig, logger: Logger) => ISessionLauncher;

/** See the file comment. */
export class ListenDaemon {
  private config!: PrimaryConfig;
  private logger!: Logger;
  private launcher!: ISessionLauncher;
  /** Backends hosted here (only for `dovecot_mode=handoff`: the one auth-master, decision 0007 §4). */
  private hosted?: Application;
  /** Programs workers may have started (the backends' launchCommands), or undefined: unrestricted (a backend did not declare). */
  private allowedCommands?: ReadonlySet<string>;
  private admission!: Admission;
  /** Parked admissions given back before a refusal for a full limit (admission-reclaim.ts). */
  private readonly reclaim = new AdmissionReclaim<Worker>({
    workers: () => this.held.keys(),
    sendReclaim: (worker) => {
      if (!worker.isConnected()) return false;
      this.flushReplies();
      worker.send({ t: 'reclaim' });
      return true;
    },
    decide: (worker, id, ip) => this.decideAdmission(worker, id, ip),
  });
  private readonly sockets: ActivatedSocket[];
  private current?: Generation;
  /** The generation being started (first start or SIGHUP), until it is ready. */
  private pending?: Generation;
  private generationCount = 0;
  private readonly held = new Map<Worker, Map<string, number>>();
  /** Replies waiting for the end of this event-loop turn, per worker. */
  private readonly replies = new Map<Worker, object[]>();
  private repliesScheduled = false;
  private readonly retiring = new Set<Worker>();
  private stopping = false;
  private reloading = false;
  private readonly crashTimes: number[] = [];

  constructor(
    private readonly argv: readonly string[],
    private readonly launcherFactory: LauncherFactory,
  ) {
    this.sockets = takeActivatedSockets();
  }

  /** Starts the first generation; rejects with one clear error (bad option, port in use, plugin). */
  async start(): Promise<void> {
    this.config = readPrimaryConfig(this.argv);
    this.logger = createLogger({ level: this.config.options.get(CORE_OPTIONS.logLevel), name: PROGRAM });
    this.admission = new Admission(this.limits(this.config));
    this.launcher = this.launcherFactory(this.config, this.logger);
    this.hosted = await hostBackends(this.argv, this.config, this.logger, this.launcher);
    const allowList = await launchAllowList(this.argv, this.logger, this.launcher, this.hosted);
    this.allowedCommands = allowList.commands;
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    const gen = this.prepare(this.config);
    const bound = await this.spawnGeneration(gen);
    this.current = gen;
    this.announce(gen, bound);
    this.warnUndeclared(allowList.undeclared);
    process.on('SIGHUP', () => void this.reload());
    process.on('SIGTERM', () => this.shutdown('SIGTERM'));
    process.on('SIGINT', () => this.shutdown('SIGINT'));
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
  }

  private warnUndeclared(backends: readonly string[]): void {
    if (backends.length > 0) this.logger.warn({ backends }, 'backends declare no launch commands: the primary cannot restrict the programs workers ask it to start');
  }

  private limits(config: PrimaryConfig): AdmissionLimits {
    const o = config.options;
    return {
      maxConnections: o.get(LISTEN_OPTIONS.maxConnections),
      maxConnectionsPerIp: o.get(LISTEN_OPTIONS.maxConnectionsPerIp),
      connectionRate: o.get(LISTEN_OPTIONS.connectionRate),
      connectionRatePerIp: o.get(LISTEN_OPTIONS.connectionRatePerIp),
    };
  }

  /** Validates what the primary can and computes the plan; throws ConfigError/Error with one line. */
  private prepare(config: PrimaryConfig): Generation {
    const o = config.options;
    const specs = o.get(LISTEN_OPTIONS.listen);
    const fallback = (config.value('dscm_service') ?? '').trim();
    networks(o.get(CORE_OPTIONS.trustedNetworks), 'trusted_networks');
    networks(o.get(LISTEN_OPTIONS.proxyNetworks), 'listen_proxy_networks');
    const plan = planListeners(specs, this.sockets);
    const listeners: WorkerListener[] = plan.map((p) => ({
      name: p.spec.name,
      service: serviceOf(p.spec, fallback),
      tls: p.spec.tls,
      proxy: p.spec.proxy,
      bindings: p.bindings,
    }));
    const firstTls = listeners.find((l) => l.tls);
    const tls = readTlsMaterial(config.value, firstTls ? `listener ${firstTls.name} (/tls)` : undefined);
    const user = resolveWorkerUser(o.get(LISTEN_OPTIONS.user), process.getuid?.() ?? 0);
    this.setupWorkers(user);
    return { number: ++this.generationCount, workers: new Set(), listeners, tls, size: o.get(LISTEN_OPTIONS.workers) };
  }

  private setupWorkers(user: WorkerUser | undefined): void {
    cluster.setupPrimary({
      exec: fileURLToPath(new URL('./worker-main.js', import.meta.url)),
      args: [...this.argv],
      uid: user?.uid,
      gid: user?.gid,
    });
  }

  /** Forks the generation's workers and waits until every one listens; kills them all on a failure. */
  private async spawnGeneration(gen: Generation): Promise<BoundAddress[]> {
    this.pending = gen;
    try {
      return await this.forkAll(gen);
    } finally {
      this.pending = undefined;
    }
  }

  private forkAll(gen: Generation): Promise<BoundAddress[]> {
    return new Promise((resolve, reject) => {
      let ready = 0;
      let bound: BoundAddress[] = [];
      let failed = false;
      const fail = (e: WorkerStartupError) => {
        if (failed) return;
        failed = true;
        for (const w of gen.workers) w.process.kill('SIGKILL');
        reject(e);
      };
      for (let i = 0; i < gen.size; i++) {
        const worker = this.fork(gen, (m) => {
          if (m.t === 'ready' && !failed) {
            if (ready === 0) bound = [...m.listeners];
            if (++ready === gen.size) resolve(bound);
          } else if (m.t === 'fatal') fail(new WorkerStartupError(m.message, m.exitCode));
        });
        worker.once('exit', (code, signal) => {
          if (ready < gen.size) fail(new WorkerStartupError(`${PROGRAM}: a worker exited during startup (${signal ?? `exit code ${code}`})`, 70));
        });
      }
    });
  }

  private fork(gen: Generation, onStartup: (m: WorkerMessage) => void): Worker {
    const worker = cluster.fork();
    gen.workers.add(worker);
    this.held.set(worker, new Map());
    worker.on('message', (raw: unknown, handle: unknown) => {
      for (const one of unbatch(raw)) {
        const m = parseWorkerMessage(one);
        if (!m) {
          if (handle && typeof (handle as Socket).destroy === 'function') (handle as Socket).destroy();
          this.logger.warn({ worker: worker.process.pid }, 'unrecognised message from a worker ignored');
          continue;
        }
        // A socket only ever comes with a message of its own, never with a batch.
        this.onMessage(worker, m, one === raw ? (handle as Socket | undefined) : undefined);
        onStartup(m);
      }
    });
    worker.on('error', () => undefined);
    return worker;
  }

  private onMessage(worker: Worker, m: WorkerMessage, socket: Socket | undefined): void {
    switch (m.t) {
      case 'admit': {
        const reason = this.stopping ? RejectReason.ServerShuttingDown : this.admission.admit(m.ip);
        // A full limit may only look full: workers keep finished connections' admissions (parked).
        const full = reason === RejectReason.TooManyConnections || reason === RejectReason.TooManyFromAddress;
        if (full && this.parkMs() > 0 && this.reclaim.defer(worker, m.id, m.ip)) return;
        this.answerAdmission(worker, m.id, m.ip, reason);
        return;
      }
      case 'reclaimed':
        this.reclaim.answered(worker);
        return;
      case 'release': {
        const held = this.held.get(worker);
        const n = held?.get(m.ip);
        if (!held || n === undefined) return;
        if (n <= 1) held.delete(m.ip);
        else held.set(m.ip, n - 1);
        this.admission.release(m.ip);
        return;
      }
      case 'launch':
        void this.launch(worker, m.id, m.request, socket);
        return;
      case 'delegate':
        void this.delegate(worker, m.id, m.backend, m.payload, socket);
        return;
      case 'register':
        this.registerHandoff(worker, m.backend, m.payload);
        return;
      case 'hello': {
        // The worker's module has loaded and listens for messages (sent earlier, 'init' would be lost).
        const gen = [this.current, this.pending].find((g) => g?.workers.has(worker));
        if (gen) worker.send({ t: 'init', generation: gen.number, listeners: gen.listeners, tls: gen.tls, parkMs: this.parkMs() });
        return;
      }
      case 'drained':
        this.logger.debug({ worker: worker.process.pid }, 'worker drained');
        return;
      default:
        return;
    }
  }

  private async launch(worker: Worker, id: number, request: Parameters<ISessionLauncher['launch']>[0], socket: Socket | undefined): Promise<void> {
    if (!socket || typeof socket.destroy !== 'function') {
      this.reply(worker, { t: 'launch-reply', id, error: 'no client socket came with the launch request' });
      return;
    }
    // Synchronously, before the event loop turns: the received socket must not read client bytes.
    detachSocketReader(socket);
    if (this.allowedCommands && !this.allowedCommands.has(request.command)) {
      socket.destroy();
      this.logger.error({ worker: worker.process.pid, session: request.sessionId, command: request.command, backend: request.label }, 'refused a launch request for a program no configured backend starts');
      this.reply(worker, { t: 'launch-reply', id, error: 'the privileged process refused to start this program' });
      return;
    }
    try {
      const result = await this.launcher.launch(request, socket);
      this.logger.info({ session: request.sessionId, backendPid: result.pid, backend: request.label, uid: request.uid }, 'session started');
      this.reply(worker, { t: 'launch-reply', id, pid: result.pid });
    } catch (e) {
      socket.destroy();
      this.logger.warn({ session: request.sessionId, reason: (e as Error).message }, 'session launch failed');
      this.reply(worker, { t: 'launch-reply', id, error: (e as Error).message });
    }
  }

  /** The hosted backend `name` (handoff mode), or undefined when this process hosts none of that name. */
  private hostedBackend(name: string): Partial<DelegatingBackend> | undefined {
    try {
      return this.hosted?.backends?.forName(name) as Partial<DelegatingBackend> | undefined;
    } catch {
      return undefined; // forName throws for a name that is not loaded
    }
  }

  /** A hand-off a worker sends itself: the hosted backend checks and registers it (decision 0007 §5). */
  private registerHandoff(worker: Worker, name: string, payload: Readonly<Record<string, unknown>>): void {
    const backend = this.hostedBackend(name);
    const pid = worker.process.pid;
    if (!backend || typeof backend.registerDelegated !== 'function' || pid === undefined) {
      this.logger.warn({ worker: pid, backend: name }, 'hand-off registration for a backend this process does not host ignored');
      return;
    }
    backend.registerDelegated(payload, pid);
  }

  /** A worker's delegated hand-off: the hosted backend does it with the received socket. */
  private async delegate(worker: Worker, id: number, name: string, payload: Readonly<Record<string, unknown>>, socket: Socket | undefined): Promise<void> {
    const answer = (result: Readonly<Record<string, unknown>>) => this.reply(worker, { t: 'delegate-reply', id, result });
    if (!socket || typeof socket.destroy !== 'function') return answer({ error: 'no socket came with the delegated hand-off' });
    detachSocketReader(socket);
    const backend = this.hostedBackend(name);
    if (!backend || typeof backend.startDelegated !== 'function') {
      socket.destroy();
      return answer({ error: `the privileged process does not host backend ${name} (dovecot_mode=handoff)` });
    }
    const result = await backend.startDelegated(payload, socket);
    // Handed off: the backend closed our copy. Otherwise the worker still holds the client.
    if (result.outcome !== 'socket') socket.destroy();
    if (typeof result.error === 'string') this.logger.warn({ backend: name, reason: result.error }, 'delegated hand-off failed');
    answer(result);
  }

  /**
   * How long workers may keep the admissions of finished connections (parked-admissions.ts): only
   * while no connection-rate limit is set, since a rate must count every new connection here.
   */
  private parkMs(): number {
    const l = this.limits(this.config);
    return l.connectionRate === 0 && l.connectionRatePerIp === 0 ? PARK_MS : 0;
  }

  /** Decides an admission request that waited for a reclaim round, for good. */
  private decideAdmission(worker: Worker, id: number, ip: string): void {
    if (!this.held.has(worker)) return; // the worker is gone: nobody to answer
    this.answerAdmission(worker, id, ip, this.stopping ? RejectReason.ServerShuttingDown : this.admission.admit(ip));
  }

  /** Answers an admission request; an admitted one counts as held by the worker until released. */
  private answerAdmission(worker: Worker, id: number, ip: string, reason: RejectReason | undefined): void {
    if (reason === undefined) {
      const held = this.held.get(worker);
      held?.set(ip, (held.get(ip) ?? 0) + 1);
    }
    this.reply(worker, { t: 'admit-reply', id, reason });
  }

  /** Replies leave once per event-loop turn and worker, in one batch (ipc-messages.ts). */
  private reply(worker: Worker, message: object): void {
    let queue = this.replies.get(worker);
    if (!queue) this.replies.set(worker, (queue = []));
    queue.push(message);
    if (queue.length >= MAX_BATCH) this.flushReplies();
    else if (!this.repliesScheduled) {
      this.repliesScheduled = true;
      setImmediate(() => this.flushReplies());
    }
  }

  private flushReplies(): void {
    this.repliesScheduled = false;
    for (const [worker, queue] of this.replies) {
      if (worker.isConnected()) worker.send(batchOf(queue), (e: Error | null) => e && this.logger.debug({ err: e.message }, 'replies to a worker lost'));
    }
    this.replies.clear();
  }

  private announce(gen: Generation, bound: readonly BoundAddress[]): void {
    const listeners = bound.map((b) => {
      const l = gen.listeners.find((x) => x.name === b.name)!;
      return { name: b.name, address: b.address, port: b.port, service: l.service, tls: l.tls, proxy: l.proxy };
    });
    this.logger.info({ listeners, workers: gen.size, generation: gen.number, systemd: this.sockets.length > 0 }, 'listening');
  }

  /** SIGHUP: new configuration, new workers first, then the old ones retire. */
  private async reload(): Promise<void> {
    if (this.stopping || this.reloading) return;
    this.reloading = true;
    try {
      const config = readPrimaryConfig(this.argv);
      const allowed = await launchAllowList(this.argv, this.logger, this.launcher, this.hosted);
      const gen = this.prepare(config);
      const bound = await this.spawnGeneration(gen);
      const old = this.current;
      this.config = config;
      this.admission.update(this.limits(config));
      this.allowedCommands = allowed.commands;
      this.warnUndeclared(allowed.undeclared);
      this.current = gen;
      this.logger.info({ generation: gen.number }, 'configuration reloaded');
      this.announce(gen, bound);
      if (old) for (const w of old.workers) this.retire(w, { t: 'retire' });
    } catch (e) {
      this.logger.error({ reason: (e as Error).message }, 'reload failed, keeping the running configuration');
    } finally {
      this.reloading = false;
    }
  }

  private retire(worker: Worker, message: { t: 'retire' } | { t: 'shutdown'; timeoutMs: number }): void {
    this.retiring.add(worker);
    this.flushReplies(); // replies sent before it arrive before it
    if (worker.isConnected()) worker.send(message);
  }

  /** SIGTERM/SIGINT: stop accepting, let pre-login clients finish (bounded), then exit. */
  private shutdown(signal: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.reclaim.flush(); // waiting admission requests are refused now, not after the round
    const timeoutMs = this.config.options.get(LISTEN_OPTIONS.shutdownTimeout);
    this.logger.info({ signal, timeoutMs }, 'shutting down: no new connections, pre-login clients may finish');
    const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    for (const w of all) {
      this.retire(w, { t: 'shutdown', timeoutMs });
      w.once('disconnect', () => this.maybeExit());
    }
    // A worker that cannot drain in time (stuck) is not waited for beyond twice the timeout.
    setTimeout(() => this.exitNow(), timeoutMs * 2 + 1000).unref();
    this.maybeExit();
  }

  private maybeExit(): void {
    const connected = Object.values(cluster.workers ?? {}).filter((w) => w?.isConnected());
    if (connected.length === 0) this.exitNow();
  }

  private exitNow(): void {
    this.logger.info('stopped');
    process.exit(0);
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const held = this.held.get(worker);
    if (held) {
      for (const [ip, n] of held) for (let i = 0; i < n; i++) this.admission.release(ip);
      this.held.delete(worker);
    }
    this.reclaim.answered(worker);
    const gen = this.current;
    const planned = this.retiring.delete(worker) || this.stopping || !gen?.workers.has(worker);
    gen?.workers.delete(worker);
    if (planned) {
      if (this.stopping) this.maybeExit();
      return;
    }
    this.logger.error({ worker: worker.process.pid, code, signal }, 'worker died, starting a new one');
    const now = Date.now();
    this.crashTimes.push(now);
    while (this.crashTimes.length > 0 && now - this.crashTimes[0]! > 10_000) this.crashTimes.shift();
    // A crash loop (every worker dying at once, again and again) is throttled to one restart a second.
    const delay = this.crashTimes.length > gen!.size * 2 ? 1000 : 0;
    setTimeout(() => {
      if (!this.stopping && this.current === gen) this.fork(gen!, () => undefined);
    }, delay);
  }
}
