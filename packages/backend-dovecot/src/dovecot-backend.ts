/**
 * DovecotBackend: starts Dovecot's imap/pop3 pre-authenticated, as the user, on the client socket
 * (or behind a relay for TLS sessions), through the injected {@link ISessionLauncher}.
 */
import {
  BackendError,
  ConfigError,
  CORE_OPTIONS,
  ILogger,
  silentLogger,
  type Logger,
  handOffSession,
  identitySettingsFromOptions,
  ILimits,
  inject,
  injectable,
  IOptions,
  ISessionLauncher,
  resolveSessionIdentity,
  type AuthenticatedSession,
  type ClientConnection,
  type IBackend,
  type IdentitySettings,
  type Limits,
  type ResolvedOptions,
} from '@pigeondeliver/core';
import { buildDovecotLaunchRequest } from './dovecot-launch-request.js';
import { DovecotEnvironment } from './dovecot-environment.js';
import type { Socket } from 'node:net';
import {
  decodeDelegatedHandoff,
  decodeHandoffRegistration,
  delegateHandoff,
  isHandoffDelegate,
  isHandoffRegistrar,
  type DelegatedPayload,
  type HandoffDelegate,
} from './handoff/delegated-handoff.js';
import { DirectHandoff } from './handoff/direct-handoff.js';
import { DovecotHandoff, type HandoffState } from './handoff/dovecot-handoff.js';
import { parsePoolUids } from './handoff/handoff-pools.js';
import { DOVECOT_OPTIONS, type DovecotMode } from './options.js';

/** The backend-dovecot plugin's IBackend. */
@injectable()
export class DovecotBackend implements IBackend {
  readonly name = 'backend-dovecot';
  private readonly mode: DovecotMode;
  private readonly paths: { imap: string; pop3: string; doveconf: string; config: string };
  private readonly identity: IdentitySettings;
  private readonly environment: DovecotEnvironment;
  /** Handoff mode's machinery (dovecot_mode=handoff), else undefined. */
  readonly handoff?: DovecotHandoff;
  /** Handoff mode in a daemon worker: the launcher passes hand-offs to the privileged process. */
  private readonly delegate?: HandoffDelegate;
  /** Handoff mode in a daemon worker that may send descriptors itself (decision 0007 §5). */
  private readonly direct?: DirectHandoff;
  /** In the host: whether workers may send descriptors themselves (dovecot_handoff_direct). */
  private readonly allowDirect: boolean;
  private readonly logger: Logger;
  private closed = false;

  constructor(
    @inject(IOptions) options: ResolvedOptions,
    @inject(ILimits) private readonly limits: Limits,
    @inject(ISessionLauncher) private readonly launcher: ISessionLauncher,
    @inject(ILogger) logger: Logger = silentLogger(),
  ) {
    this.mode = options.get(DOVECOT_OPTIONS.mode);
    this.logger = logger;
    // One auth-master per Dovecot service (decision 0007 §4): a daemon worker delegates, never hosts it.
    this.allowDirect = options.get(DOVECOT_OPTIONS.handoffDirect);
    if (this.mode === 'handoff' && isHandoffDelegate(launcher)) {
      this.delegate = launcher;
      if (this.allowDirect && isHandoffRegistrar(launcher)) this.direct = createDirectHandoff(this.name, options, limits, launcher, logger);
    } else if (this.mode === 'handoff') this.handoff = createHandoff(options, limits, logger);
    this.paths = {
      imap: options.get(DOVECOT_OPTIONS.imapPath),
      pop3: options.get(DOVECOT_OPTIONS.pop3Path),
      doveconf: options.get(DOVECOT_OPTIONS.doveconfPath),
      config: options.get(DOVECOT_OPTIONS.config),
    };
    this.identity = identitySettingsFromOptions(options);
    this.environment = new DovecotEnvironment(this.paths.doveconf, this.paths.config);
  }

  async start(session: AuthenticatedSession, connection: ClientConnection): Promise<void> {
    if (this.closed) throw new BackendError('backend-dovecot is shutting down');
    if (session.protocol !== 'imap' && session.protocol !== 'pop3') throw new BackendError(`unsupported protocol ${String(session.protocol)}`);
    if (this.handoff && (await this.handoff.start(session, connection)) !== 'exec') return;
    if (this.direct) {
      const outcome = await this.direct.start(session, connection);
      if (outcome === 'socket' || outcome === 'relay') return;
    }
    if (this.delegate) {
      const outcome = await delegateHandoff(this.delegate, this.name, session, connection, this.limits.backendTimeout, (reply) => this.direct?.noteDelegateReply(reply));
      if (outcome !== 'exec') return;
    }
    const execMode = this.mode === 'doveconf' ? 'doveconf' : 'direct';
    const identity = resolveSessionIdentity(session.user, this.identity);
    const captured = execMode === 'direct' ? await this.environment.get(session.protocol) : undefined;
    const binaryPath = session.protocol === 'imap' ? this.paths.imap : this.paths.pop3;
    const mode = await handOffSession({
      launcher: this.launcher,
      connection,
      session,
      timeout: this.limits.backendTimeout,
      pipelinedInEnvironment: true,
      build: (pipelined) =>
        buildDovecotLaunchRequest({
          mode: execMode,
          binaryPath,
          doveconfPath: this.paths.doveconf,
          configPath: this.paths.config,
          captured,
          session,
          identity,
          pipelined,
        }),
    });
    connection.log.info({ backend: this.name, user: session.user.login, uid: identity.uid, via: mode }, 'session handed to dovecot');
  }

  /**
   * Handoff mode, in the process that hosts the auth-master: hands off a session another process
   * delegated (payload of `delegateHandoff`, checked here) on `socket`. Answers `{ outcome: 'socket' }`
   * (our copy closed), `{ outcome: 'exec' }` (the sender must exec it) or `{ error }` (socket untouched).
   */
  async startDelegated(payload: DelegatedPayload, socket: Socket): Promise<DelegatedPayload> {
    try {
      if (!this.handoff) throw new BackendError('this process does not run dovecot handoff mode (dovecot_mode=handoff)');
      const { session, secured } = decodeDelegatedHandoff(payload);
      const log = this.logger.child({ session: session.sessionId });
      const outcome = await this.handoff.startOnSocket(session, socket, secured, log);
      // Tells the worker it may send later descriptors itself (our SPID goes into its requests).
      return this.allowDirect && this.handoff.active ? { outcome, direct: { authPid: process.pid } } : { outcome };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  /**
   * Handoff mode, in the process that hosts the auth-master: registers a hand-off the worker with pid
   * `senderPid` sends itself (decision 0007 §5). Refusals are logged; the hand-off then fails at
   * Dovecot's REQUEST with a temporary failure for the client.
   */
  registerDelegated(payload: DelegatedPayload, senderPid: number): void {
    try {
      if (!this.handoff) throw new BackendError('this process does not run dovecot handoff mode (dovecot_mode=handoff)');
      if (!this.allowDirect) throw new BackendError('dovecot_handoff_direct=no: workers must delegate their hand-offs');
      this.handoff.register(decodeHandoffRegistration(payload), senderPid);
    } catch (e) {
      this.logger.warn({ backend: this.name, worker: senderPid, reason: (e as Error).message }, 'hand-off registration refused');
    }
  }

  /** {@inheritDoc IBackend.launchCommands} The exec path of handoff mode (fallback, other uids) is `direct`. */
  launchCommands(): readonly string[] {
    return this.mode === 'doveconf' ? [this.paths.doveconf] : [this.paths.imap, this.paths.pop3];
  }

  /** Forgets the captured doveconf environment, so that changed settings apply to new sessions. */
  reload(): void {
    this.environment.reset();
  }

  /** Handoff mode: resolves once its start-up checks are done (the mode it ended up in); exec modes: at once. */
  async ready(): Promise<HandoffState | undefined> {
    return this.handoff?.ready;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.handoff?.close();
  }
}

/** The pooled uids (dovecot_handoff_uids, else mail_uid); ConfigError when malformed. */
function handoffUids(options: ResolvedOptions): number[] {
  try {
    return parsePoolUids(options.get(DOVECOT_OPTIONS.handoffUids), options.maybe(CORE_OPTIONS.mailUid));
  } catch (e) {
    throw new ConfigError((e as Error).message, DOVECOT_OPTIONS.handoffUids.key);
  }
}

/** The worker's direct hand-offs from options (the same pools as the host's). */
function createDirectHandoff(backend: string, options: ResolvedOptions, limits: Limits, registrar: ConstructorParameters<typeof DirectHandoff>[2], logger: Logger): DirectHandoff {
  return new DirectHandoff(
    {
      backend,
      baseDir: options.get(DOVECOT_OPTIONS.handoffBaseDir),
      loginDir: options.get(DOVECOT_OPTIONS.handoffLoginDir),
      uids: handoffUids(options),
      shards: options.get(DOVECOT_OPTIONS.handoffPoolShards),
      timeout: limits.backendTimeout,
    },
    identitySettingsFromOptions(options),
    registrar,
    logger.child({ backend, mode: 'handoff-direct' }),
  );
}

/** Handoff mode from options (throws ConfigError: bad uids, addon missing, Dovecot not runnable). */
function createHandoff(options: ResolvedOptions, limits: Limits, logger: Logger): DovecotHandoff {
  const uids = handoffUids(options);
  return new DovecotHandoff(
    {
      baseDir: options.get(DOVECOT_OPTIONS.handoffBaseDir),
      loginDir: options.get(DOVECOT_OPTIONS.handoffLoginDir),
      authSocket: options.get(DOVECOT_OPTIONS.handoffAuthSocket),
      uids,
      shards: options.get(DOVECOT_OPTIONS.handoffPoolShards),
      otherUids: options.get(DOVECOT_OPTIONS.handoffOtherUids),
      fallback: options.get(DOVECOT_OPTIONS.handoffFallback),
      versions: options.get(DOVECOT_OPTIONS.handoffVersions),
      dovecotPath: options.get(DOVECOT_OPTIONS.dovecotPath),
      selfTest: options.get(DOVECOT_OPTIONS.handoffSelfTest),
      firstValidUid: options.get(CORE_OPTIONS.firstValidUid),
      homeRoots: options.get(CORE_OPTIONS.homeRoots),
      timeout: limits.backendTimeout,
    },
    identitySettingsFromOptions(options),
    logger.child({ backend: 'backend-dovecot', mode: 'handoff' }),
  );
}
