import type { MailProtocol } from './auth.js';
import type { ClientConnection } from './connection.js';
import type { GreetingSent } from './greeter.js';

/**
 * The pre-authentication half of a protocol (login-imap, login-pop3): greets, runs the command state
 * machine until the user is authenticated, then hands the session to the routed backend.
 * `handle` resolves when the connection is closed or handed over; it never rejects for client errors.
 */
export interface ILoginService {
  readonly protocol: MailProtocol;
  /**
   * Serves one connection. With `greeted`, the forker already sent this service's greeting (see
   * {@link GreetingSent}): the service sends none and reads the client's first command.
   */
  handle(connection: ClientConnection, greeted?: GreetingSent): Promise<void>;
  /**
   * Says goodbye on a connection the server must drop before login (shutdown, limit hit), in the
   * protocol's own words (IMAP `* BYE`, POP3 `-ERR`), then closes it.
   */
  reject(connection: ClientConnection, reason: RejectReason): void;
}

/** Why a connection is refused before the protocol starts. */
export enum RejectReason {
  ServerShuttingDown = 'shutting-down',
  TooManyConnections = 'too-many-connections',
  TooManyFromAddress = 'too-many-from-address',
  RateLimited = 'rate-limited',
}
