/**
 * Handoff mode in a daemon worker that sends the client descriptor to Dovecot itself (decision 0007
 * §5): the worker picks the pool of the user's uid, a random id and cookie, registers them with the
 * user fields at the process that hosts the auth-master (one IPC message, no socket, no reply
 * awaited), and sends the login request with the descriptor to the pool's login socket. The hosting
 * process checks the registration as it checks its own hand-offs and creates the home; Dovecot's
 * REQUEST, which may reach it before the registration, waits for it there.
 *
 * Compared with delegating the whole hand-off (decision 0007 §4), no descriptor crosses the IPC
 * channel and the privileged process does no socket work per login. It needs the login sockets
 * reachable by the workers (`dovecot_handoff_login_group` = the workers' group); the worker uses it
 * only after a delegated hand-off told it the host's hand-off mode is active, and goes back to
 * delegating for good when a login socket refuses it (EACCES).
 */
import { randomInt } from 'node:crypto';
import {
  BackendError,
  pooledRandomBytes,
  resolveSessionIdentity,
  type AuthenticatedSession,
  type ClientConnection,
  type IdentitySettings,
  type Logger,
  type MailProtocol,
} from '@pigeondeliver/core';
import { isValidImapTag } from '../dovecot-launch-request.js';
import { encodeHandoffRegistration, type DelegatedPayload, type HandoffRegistrar } from './delegated-handoff.js';
import type { HandoffOutcome } from './dovecot-handoff.js';
import { HandoffPools } from './handoff-pools.js';
import { HandoffSender } from './handoff-sender.js';
import { MASTER_AUTH_COOKIE_SIZE } from './login-request.js';
import { LoginSocketError } from './login-socket-client.js';

/** Settings of {@link DirectHandoff}. */
export interface DirectHandoffSettings {
  readonly backend: string;
  readonly baseDir: string;
  /** Directory of the pools' login sockets; default `<baseDir>/login`. */
  readonly loginDir?: string;
  readonly uids: readonly number[];
  /** Services per pool (dovecot_handoff_pool_shards; default 1). */
  readonly shards?: number;
  readonly protocols?: readonly MailProtocol[];
  /** Bound of one hand-off, ms. */
  readonly timeout: number;
}

/** 'delegate': not handled here, the caller delegates it to the privileged process as before. */
export type DirectOutcome = HandoffOutcome | 'delegate';

/** See the file comment. */
export class DirectHandoff {
  private readonly pools: HandoffPools;
  private authPid: number | undefined;
  private disabled = false;
  private readonly sender: HandoffSender;

  constructor(
    private readonly settings: DirectHandoffSettings,
    private readonly identity: IdentitySettings,
    private readonly registrar: HandoffRegistrar,
    private readonly log: Logger,
  ) {
    this.pools = new HandoffPools(settings.uids, settings.baseDir, settings.protocols, settings.loginDir, settings.shards);
    this.sender = new HandoffSender(() => this.authPid ?? 0, settings.timeout, () => undefined);
  }

  /** True once a delegated hand-off reported an active host and no login socket refused us. */
  get enabled(): boolean {
    return this.authPid !== undefined && !this.disabled;
  }

  /** Reads a delegated hand-off's answer: `direct.authPid` (the host's SPID) switches direct mode on. */
  noteDelegateReply(reply: DelegatedPayload): void {
    const direct = reply.direct as { authPid?: unknown } | undefined;
    if (this.disabled || this.authPid !== undefined || typeof direct?.authPid !== 'number' || !Number.isSafeInteger(direct.authPid)) return;
    this.authPid = direct.authPid;
    this.log.debug({ authPid: this.authPid }, 'dovecot hand-offs: this worker sends descriptors itself');
  }

  /** Hands `session` off directly; 'delegate' when this worker cannot (the caller delegates). */
  async start(session: AuthenticatedSession, connection: ClientConnection): Promise<DirectOutcome> {
    if (!this.enabled) return 'delegate';
    if (session.protocol !== 'imap' && session.protocol !== 'pop3') throw new BackendError(`unsupported protocol ${String(session.protocol)}`);
    const identity = resolveSessionIdentity(session.user, this.identity);
    const pool = this.pools.forUid(session.protocol, identity.uid);
    if (!pool) return 'delegate'; // the host decides: exec or refuse (dovecot_handoff_other_uids)
    if (session.protocol === 'imap' && !isValidImapTag(session.loginTag)) throw new BackendError(`invalid IMAP login tag ${JSON.stringify(session.loginTag)}`);
    const entry = { authId: randomInt(1, 0x7fffffff), cookie: pooledRandomBytes(MASTER_AUTH_COOKIE_SIZE) };
    if (!this.registrar.registerHandoff(this.settings.backend, encodeHandoffRegistration(session, entry.authId, entry.cookie))) return 'delegate';
    try {
      const socket = connection.socket;
      if (socket && !connection.secured) return await this.sender.handOffSocket(session, connection.log, socket, false, pool, entry);
      // TLS terminated here: relay through a pair, as the host would (its far end goes to Dovecot).
      await this.sender.handOffRelay(session, connection, connection.stream, session.pipelined, pool, entry);
      return 'relay';
    } catch (e) {
      if (e instanceof LoginSocketError && !e.sent && accessProblem(e)) {
        this.disabled = true;
        this.log.warn(
          { pool: pool.service, reason: e.message },
          'dovecot hand-offs: the workers cannot use the login sockets; delegating every hand-off to the privileged process (set dovecot_handoff_login_group to the workers\' group and regenerate the Dovecot configuration)',
        );
        return 'delegate';
      }
      throw e;
    }
  }
}

/** The login socket refused us for permissions (not a Dovecot outage: that is a temporary failure). */
function accessProblem(e: LoginSocketError): boolean {
  const code = (e.cause as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM';
}
