/**
 * Handoff mode: an authenticated session is passed to one of a running Dovecot's reused imap/pop3
 * processes, as Dovecot's own imap-login/pop3-login would pass it, instead of exec'ing a process per
 * login. We (1) register a pending hand-off (single-use id, random cookie) with our auth-master,
 * (2) send the 96-byte login request, the pipelined input and the client descriptor to the pool of
 * the user's uid, (3) read Dovecot's reply. Dovecot's process then asks our auth-master (REQUEST), gets
 * USER with the fields of our database row, and answers the client itself (`<tag> OK [CAPABILITY ...]
 * Logged in`, `+OK Logged in.`). TLS sessions (terminated by us) are relayed through a socket pair,
 * as in exec mode. See docs/dovecot-login-handoff.md and docs/decisions/0006-dovecot-handoff-mode.md.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Socket } from 'node:net';
import {
  BackendError,
  createSocketPair,
  ensureUserHome,
  resolveSessionIdentity,
  waitForFirstChunk,
  withPrivileges,
  type AuthenticatedSession,
  type ClientConnection,
  type IdentitySettings,
  type Logger,
  type MailProtocol,
  type SessionIdentity,
} from '@pigeondeliver/core';
import { dovecotMailLocation } from '../dovecot-launch-request.js';
import { isValidImapTag } from '../dovecot-launch-request.js';
import { AuthMasterServer, type AuthMasterAnswer } from './auth-master-server.js';
import { isTestedVersion, readDovecotVersion } from './dovecot-version.js';
import { HandoffPools, type HandoffPool } from './handoff-pools.js';
import { LoginReplyStatus } from './login-request.js';
import { CheckedHomes } from './checked-homes.js';
import { HandoffSender } from './handoff-sender.js';
import { fdPassAddon } from './native.js';
import { PendingHandoffs, type HandoffEntry } from './pending-handoffs.js';

/** Settings of {@link DovecotHandoff} (from options; see options.ts). */
export interface HandoffSettings {
  readonly baseDir: string;
  /** Directory of the pools' login sockets; default `<baseDir>/login`. */
  readonly loginDir?: string;
  readonly authSocket: string;
  readonly uids: readonly number[];
  /** Services per pool (dovecot_handoff_pool_shards; default 1). */
  readonly shards?: number;
  readonly otherUids: 'exec' | 'refuse';
  readonly fallback: 'fail' | 'exec';
  readonly versions: readonly string[];
  readonly dovecotPath: string;
  readonly selfTest: boolean;
  readonly firstValidUid: number;
  readonly homeRoots: readonly string[];
  /** Bound of one hand-off and lifetime of a pending entry, ms. */
  readonly timeout: number;
  readonly protocols?: readonly MailProtocol[];
}

/** How `start` went: handed off (socket or relay), or the caller must use exec mode. */
export type HandoffOutcome = 'socket' | 'relay' | 'exec';

/** State after the start-up checks. */
export type HandoffState = { readonly mode: 'handoff' } | { readonly mode: 'exec'; readonly reason: string } | { readonly mode: 'failed'; readonly reason: string };

const EMPTY = Buffer.alloc(0);

/** Longest wait of a REQUEST for a worker's registration still on its way (decision 0007 §5). */
const REGISTRATION_WAIT_MS = 2000;

/** The hand-off machinery of one front-end process. */
export class DovecotHandoff {
  readonly pending: PendingHandoffs;
  readonly authMaster: AuthMasterServer;
  readonly pools: HandoffPools;
  /** Resolves once the start-up checks are done (never rejects). */
  readonly ready: Promise<HandoffState>;
  private state: HandoffState | undefined;
  private readonly sender: HandoffSender;
  private readonly homes = new CheckedHomes();
  private readonly selfTestAnswers = new Map<number, (a: AuthMasterAnswer) => void>();
  private closed = false;

  /** Checks the Dovecot version synchronously (ConfigError stops start-up), then listens and self-tests. */
  constructor(
    private readonly settings: HandoffSettings,
    private readonly identity: IdentitySettings,
    private readonly log: Logger,
  ) {
    fdPassAddon();
    this.pools = new HandoffPools(settings.uids, settings.baseDir, settings.protocols, settings.loginDir, settings.shards);
    this.pending = new PendingHandoffs(settings.timeout);
    this.authMaster = new AuthMasterServer({
      path: settings.authSocket,
      pending: this.pending,
      log: log.child({ component: 'dovecot-auth-master' }),
      onAnswer: (a) => {
        if (a.entry?.selfTest) this.selfTestAnswers.get(a.entry.authId)?.(a);
      },
      registrationWaitMs: Math.min(settings.timeout, REGISTRATION_WAIT_MS),
    });
    this.sender = new HandoffSender(() => this.authMaster.pid, settings.timeout, (authId) => this.pending.cancel(authId));
    const versionProblem = this.checkVersion();
    this.ready = this.prepare(versionProblem).then((state) => {
      this.state = state;
      if (state.mode === 'handoff') this.log.info({ pools: this.pools.all().map((p) => p.service) }, 'dovecot handoff mode ready');
      else if (state.mode === 'exec') this.log.error({ reason: state.reason }, 'dovecot handoff mode unavailable, falling back to exec mode');
      else this.log.error({ reason: state.reason }, 'dovecot handoff mode unavailable: sessions are refused (dovecot_handoff_fallback=fail)');
      return state;
    });
  }

  /** Hands `session` off; resolves 'exec' when this session must be exec'd instead. */
  async start(session: AuthenticatedSession, connection: ClientConnection): Promise<HandoffOutcome> {
    const prepared = await this.prepareHandoff(session);
    if (prepared === 'exec') return 'exec';
    const { pool, entry } = prepared;
    const socket = connection.socket;
    if (socket && !connection.secured) return this.sender.handOffSocket(session, connection.log, socket, false, pool, entry);
    await this.sender.handOffRelay(session, connection, connection.stream, session.pipelined, pool, entry);
    return 'relay';
  }

  /**
   * Hands `session` off on a socket another process passed us (decision 0007 §4): the raw client
   * socket, or, when `secured`, that process's end of a socket pair it relays TLS through. On success
   * our copy is closed; on a failure (thrown) or 'exec' the socket is left to the caller.
   */
  async startOnSocket(session: AuthenticatedSession, socket: Socket, secured: boolean, log: Logger): Promise<HandoffOutcome> {
    const prepared = await this.prepareHandoff(session);
    if (prepared === 'exec') return 'exec';
    return this.sender.handOffSocket(session, log, socket, secured, prepared.pool, prepared.entry);
  }

  /** Checks the state, pool and identity, and registers the pending entry. */
  private async prepareHandoff(session: AuthenticatedSession): Promise<'exec' | { pool: HandoffPool; entry: HandoffEntry }> {
    if (this.closed) throw new BackendError('backend-dovecot is shutting down');
    const state = this.state ?? (await this.ready);
    if (state.mode === 'exec') return 'exec';
    if (state.mode === 'failed') throw new BackendError(`dovecot handoff mode is unavailable: ${state.reason}`);
    const pooled = this.pooledUser(session.user, session.protocol);
    if ('uid' in pooled) {
      if (this.settings.otherUids === 'exec') return 'exec';
      throw new BackendError(`uid ${pooled.uid} of ${session.user.login} has no Dovecot hand-off pool (dovecot_handoff_uids) and dovecot_handoff_other_uids=refuse`);
    }
    const { pool, fields } = pooled;
    if (session.protocol === 'imap' && !isValidImapTag(session.loginTag)) throw new BackendError(`invalid IMAP login tag ${JSON.stringify(session.loginTag)}`);
    const entry = this.pending.add({ clientPid: process.pid, user: session.user.login, fields, sessionId: session.sessionId });
    return { pool, entry };
  }

  /** True once the start-up checks passed and hand-offs are made (workers may then send descriptors themselves). */
  get active(): boolean {
    return this.state?.mode === 'handoff' && !this.closed;
  }

  /**
   * Registers a hand-off a daemon worker (pid `senderPid`) is about to send itself (decision 0007
   * §5): the same checks as our own hand-offs (state, pool of the uid, uid/gid, home created or
   * checked with our privileges), then an entry with the worker's id and cookie that only a request
   * naming `senderPid` as client pid can take. Throws BackendError when refused: the REQUEST then
   * finds no entry and Dovecot answers the client with a temporary failure.
   */
  register(registration: { authId: number; cookie: Buffer; sessionId: string; protocol: MailProtocol; user: AuthenticatedSession['user'] }, senderPid: number): void {
    if (!this.active) throw new BackendError('dovecot handoff mode is not active in this process');
    const pooled = this.pooledUser(registration.user, registration.protocol);
    if ('uid' in pooled) throw new BackendError(`uid ${pooled.uid} of ${registration.user.login} has no Dovecot hand-off pool`);
    const { fields } = pooled;
    const entry = { authId: registration.authId, cookie: registration.cookie, clientPid: senderPid, user: registration.user.login, fields, sessionId: registration.sessionId };
    if (!this.pending.register(entry)) throw new BackendError(`hand-off id ${registration.authId} is already in use or was used recently`);
  }

  /** Stops the auth-master (the imap/pop3 processes connected to it retire; sessions stay). */
  async close(): Promise<void> {
    this.closed = true;
    await this.ready;
    await this.authMaster.close();
  }


  /**
   * The checks every hand-off of `user` passes, ours and the workers' registered ones: the pool of the
   * user's uid (`{ uid }` when there is none), the uid/gid refusals, and the USER fields, with the home
   * created or checked.
   */
  private pooledUser(user: AuthenticatedSession['user'], protocol: MailProtocol): { pool: HandoffPool; fields: [string, string][] } | { uid: number } {
    const identity = resolveSessionIdentity(user, this.identity);
    const pool = this.pools.forUid(protocol, identity.uid);
    if (!pool) return { uid: identity.uid };
    this.checkIdentity(identity);
    return { pool, fields: this.userFields(user, identity) };
  }

  /** The userdb fields Dovecot runs the session with (src/auth userdb fields, §2.2). */
  private userFields(user: AuthenticatedSession['user'], identity: SessionIdentity): [string, string][] {
    const { location, maildir } = dovecotMailLocation(user.mail, identity.home);
    this.homes.ensure(identity.home, maildir, identity.uid, identity.gid, () =>
      withPrivileges(() => ensureUserHome({ path: identity.home, maildir, uid: identity.uid, gid: identity.gid, roots: this.settings.homeRoots })),
    );
    const fields: [string, string][] = [
      ['uid', String(identity.uid)],
      ['gid', String(identity.gid)],
      ['home', identity.home],
      ['mail', location],
    ];
    if (user.quotaBytes !== null && user.quotaBytes !== undefined) fields.push(['quota_rule', `*:bytes=${user.quotaBytes}`]);
    return fields;
  }

  /** The same refusals as the exec launcher: never uid/gid 0, never below first_valid_uid. */
  private checkIdentity(identity: SessionIdentity): void {
    const { uid, gid } = identity;
    if (uid === 0 || gid === 0) throw new BackendError('refusing to hand off a session as uid 0 or gid 0');
    if (uid < this.settings.firstValidUid) throw new BackendError(`refusing uid ${uid}: below first_valid_uid ${this.settings.firstValidUid}`);
  }

  private checkVersion(): string | undefined {
    const version = readDovecotVersion(this.settings.dovecotPath);
    if (isTestedVersion(version, this.settings.versions)) return undefined;
    return `Dovecot ${version} is not a version the hand-off was tested with (dovecot_handoff_versions: ${this.settings.versions.join(', ')})`;
  }

  private async prepare(versionProblem: string | undefined): Promise<HandoffState> {
    const failed = (reason: string): HandoffState => (this.settings.fallback === 'exec' ? { mode: 'exec', reason } : { mode: 'failed', reason });
    if (versionProblem) return failed(versionProblem);
    try {
      mkdirSync(dirname(this.settings.authSocket), { recursive: true, mode: 0o700 });
      await this.authMaster.listen();
    } catch (e) {
      return failed((e as Error).message);
    }
    if (!this.settings.selfTest) return { mode: 'handoff' };
    for (const pool of this.pools.all()) {
      try {
        await this.selfTest(pool);
      } catch (e) {
        return failed(`self-test hand-off to ${pool.service} failed: ${(e as Error).message}`);
      }
    }
    return { mode: 'handoff' };
  }

  /**
   * One hand-off that every check accepts and our auth-master then answers FAIL on purpose: proves
   * the login socket, the struct, the `-a` path and our checks, without a process taking a uid.
   */
  private async selfTest(pool: HandoffPool): Promise<void> {
    const entry = this.pending.add({ clientPid: process.pid, user: 'pigeondeliver-self-test', fields: [], sessionId: 'self-test', selfTest: true });
    const answered = new Promise<AuthMasterAnswer>((resolve) => this.selfTestAnswers.set(entry.authId, resolve));
    const pair = await createSocketPair();
    try {
      const session = {
        sessionId: 'self-test',
        protocol: pool.protocol,
        loginTag: 'selftest',
        capabilityRequested: false,
        trusted: true,
        local: { address: '127.0.0.1', port: 0 },
        remote: { address: '127.0.0.1', port: 0 },
      } as unknown as AuthenticatedSession;
      const reply = await this.sender.send(session, pool, entry, pair.theirs, EMPTY, false);
      pair.theirs.destroy();
      const answer = await Promise.race([answered, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]);
      if (!answer) throw new Error(`Dovecot did not ask our auth-master (is the service's executable "${pool.protocol} -a ${this.settings.authSocket}"?)`);
      if (answer.reason !== 'self-test') throw new Error(`our auth-master refused it: ${answer.reason}`);
      if (reply.status !== LoginReplyStatus.INTERNAL_ERROR) throw new Error(`unexpected reply status ${reply.status}`);
      const text = (await waitForFirstChunk(pair.ours, this.settings.timeout)).toString('latin1');
      const expected = pool.protocol === 'imap' ? /^selftest NO / : /^-ERR /;
      if (!expected.test(text)) throw new Error(`unexpected answer on the test connection: ${JSON.stringify(text.slice(0, 80))}`);
    } finally {
      this.selfTestAnswers.delete(entry.authId);
      this.pending.cancel(entry.authId);
      pair.ours.destroy();
      pair.theirs.destroy();
    }
  }
}
