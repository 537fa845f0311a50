import type { MailProtocol } from './auth.js';
import type { Endpoint } from './endpoint.js';
import type { UserRecord } from './user.js';

/**
 * Everything a backend needs to take over a verified login: produced by the login service, consumed
 * by `IBackend.start`. The backend answers the login command itself (IMAP tagged OK, POP3 +OK).
 */
export interface AuthenticatedSession {
  readonly sessionId: string;
  readonly protocol: MailProtocol;
  /** The verified user row, fetched once at login. */
  readonly user: UserRecord;
  /** SASL mechanism or command used (for logs and the backend's environment). */
  readonly mechanism: string;
  /** IMAP: the tag of the LOGIN/AUTHENTICATE command the backend must answer. Empty for POP3. */
  readonly loginTag: string;
  /** IMAP: the client asked for CAPABILITY before logging in (Dovecot's CLIENT_INPUT flag '1'). */
  readonly capabilityRequested: boolean;
  /** Bytes the client sent after the login command, not yet consumed: must reach the backend. */
  readonly pipelined: Buffer;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  /** The session is TLS-encrypted by us: the backend must relay, it cannot take the raw socket. */
  readonly secured: boolean;
  readonly trusted: boolean;
  /** Number of proxy hops so far (loop prevention, like Dovecot's LOGIN_PROXY_TTL). */
  readonly hops: number;
}
