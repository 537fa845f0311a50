/**
 * Routing and handoff after a successful login: the local backend the user row selects when the
 * mailbox is on this node (host empty or equal to `node_name`), else `backend-proxy`; then
 * `IBackend.start` within `Limits.backendTimeout`. Protocol packages turn a failed handoff into their
 * temporary-failure reply (IMAP `NO [UNAVAILABLE]`, POP3 `-ERR [SYS/TEMP]`).
 */
import {
  IBackendRegistry,
  ILimits,
  ILogger,
  inject,
  injectable,
  type AuthenticatedSession,
  type ClientConnection,
  type IBackend,
  type Limits,
  type Logger,
  type MailProtocol,
  type UserRecord,
} from '@pigeondeliver/core';
import type { LoginCommonSettings } from '../login-common-settings.js';
import { ILoginCommonSettings } from '../tokens.js';

/** The backend plugin that relays sessions to the node owning the mailbox. */
export const PROXY_BACKEND_NAME = 'backend-proxy';

/** What a protocol knows when a login succeeded. */
export interface HandoffRequest {
  readonly connection: ClientConnection;
  readonly protocol: MailProtocol;
  readonly user: UserRecord;
  readonly mechanism: string;
  /** IMAP: tag of the login command (the backend answers it). Empty for POP3. */
  readonly loginTag: string;
  /** IMAP: CAPABILITY was asked before login. */
  readonly capabilityRequested: boolean;
  /** Bytes received after the login command (from InputReader.detach()). */
  readonly pipelined: Buffer;
  /** Proxy hops so far (0 for a client connection). */
  readonly hops?: number;
}

/** How a handoff ended. */
export type HandoffResult =
  | { readonly ok: true; readonly backend: string }
  | { readonly ok: false; readonly backend: string | undefined; readonly reason: string };

/** Picks and starts the backend of authenticated sessions. */
@injectable()
export class SessionRouter {
  constructor(
    @inject(IBackendRegistry) private readonly backends: IBackendRegistry,
    @inject(ILimits) private readonly limits: Limits,
    @inject(ILogger) private readonly logger: Logger,
    @inject(ILoginCommonSettings) private readonly settings: LoginCommonSettings,
  ) {}

  /** The session a backend receives. */
  static buildSession(request: HandoffRequest): AuthenticatedSession {
    const c = request.connection;
    return {
      sessionId: c.sessionId,
      protocol: request.protocol,
      user: request.user,
      mechanism: request.mechanism,
      loginTag: request.loginTag,
      capabilityRequested: request.capabilityRequested,
      pipelined: request.pipelined,
      remote: c.remote,
      local: c.local,
      secured: c.secured,
      trusted: c.trusted,
      hops: request.hops ?? 0,
    };
  }

  /** The mailbox lives on another node. */
  isRemote(user: UserRecord): boolean {
    return user.host !== null && user.host !== '' && user.host !== this.settings.nodeName;
  }

  /** The backend for a user; throws BackendError when it is not loaded. */
  route(user: UserRecord): IBackend {
    return this.isRemote(user) ? this.backends.forName(PROXY_BACKEND_NAME) : this.backends.forName(user.backend);
  }

  /**
   * Starts the routed backend. Never rejects: a missing backend, a rejection or a timeout becomes
   * `{ ok: false }` (logged with the reason), and the connection is then still the protocol's.
   */
  async handoff(request: HandoffRequest): Promise<HandoffResult> {
    const session = SessionRouter.buildSession(request);
    const log = { session: session.sessionId, user: session.user.login, host: session.user.host ?? '' };
    let backend: IBackend;
    try {
      backend = this.route(session.user);
    } catch (e) {
      const reason = this.isRemote(session.user)
        ? `the mailbox is on node ${session.user.host} but ${PROXY_BACKEND_NAME} is not loaded: ${message(e)}`
        : message(e);
      this.logger.error({ ...log, event: 'handoff', result: 'failed', reason }, 'no backend for the session');
      return { ok: false, backend: undefined, reason };
    }
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        backend.start(session, request.connection),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`backend did not take the session over within ${this.limits.backendTimeout} ms`)), this.limits.backendTimeout);
        }),
      ]);
    } catch (e) {
      const reason = message(e);
      this.logger.error({ ...log, event: 'handoff', backend: backend.name, result: 'failed', reason, durationMs: Date.now() - started }, 'backend failed to start the session');
      return { ok: false, backend: backend.name, reason };
    } finally {
      clearTimeout(timer);
    }
    this.logger.info({ ...log, event: 'handoff', backend: backend.name, result: 'ok', durationMs: Date.now() - started }, 'session handed to the backend');
    return { ok: true, backend: backend.name };
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
