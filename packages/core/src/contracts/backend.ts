import type { ClientConnection } from './connection.js';
import type { AuthenticatedSession } from './session.js';

/**
 * Takes over an authenticated session: execs Dovecot or Courier pre-authenticated as the user, or
 * proxies to the owner node. Once `start` resolves, the session belongs to the backend; the login
 * service keeps nothing.
 *
 * Rejects with {@link BackendError} when the session could not be started; the login service then
 * answers a temporary failure (IMAP `NO [UNAVAILABLE]`, POP3 `-ERR [SYS/TEMP]`) on the still-open
 * connection. A backend must not write to the client before it is sure it started.
 */
export interface IBackend {
  /** The plugin name (`backend-dovecot`). */
  readonly name: string;
  start(session: AuthenticatedSession, connection: ClientConnection): Promise<void>;
  /** Stops accepting new sessions; established sessions are not killed. */
  close?(): Promise<void>;
  /**
   * Absolute paths of every program this backend asks a session launcher to start (its
   * `LaunchRequest.command` values). A privileged launcher that takes requests from less trusted
   * processes (pd-forker-listen's primary) starts nothing else. Backends that launch nothing return [].
   */
  launchCommands?(): readonly string[];
}

/** The backends loaded in this process, by plugin name (per-user `backend` column). */
export interface IBackendRegistry {
  /** The backend a user row selects, or the configured default. Throws BackendError if not loaded. */
  forName(name: string | null): IBackend;
  /** Names of every backend loaded. */
  names(): string[];
}
