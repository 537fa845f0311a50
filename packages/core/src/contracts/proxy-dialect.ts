import type { Duplex } from 'node:stream';
import type { MailProtocol } from './auth.js';
import type { AuthenticatedSession } from './session.js';

/** Why proxying to a remote node failed (modelled on Dovecot's `login_proxy_failure_type`). */
export enum ProxyFailure {
  Connect = 'connect',
  Timeout = 'timeout',
  RemoteRefused = 'remote-refused',
  Protocol = 'protocol',
  AuthFailed = 'auth-failed',
  TooManyHops = 'too-many-hops',
}

/**
 * The protocol side of proxying, registered by a login package and used by backend-proxy so that the
 * proxy does not import a login package (Dovecot's imap-proxy.c vs login-proxy.c split).
 */
export interface IProxyDialect {
  readonly protocol: MailProtocol;
  /**
   * Logs in to a foreign server on `remote` with the user's credentials (plain-login mode) and
   * resolves when the remote is in the authenticated state; rejects with a ProxyFailure message.
   */
  plainLogin(remote: Duplex, session: AuthenticatedSession, password: string): Promise<void>;
}
