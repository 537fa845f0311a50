/** Why a read from the client could not complete. Each protocol maps it to its own last words. */
export enum InputFailure {
  /** A line grew past the limit without a line end (IMAP `* BYE Line too long`, POP3 `-ERR`). */
  LineTooLong = 'line-too-long',
  /** No byte arrived for the idle timeout. */
  IdleTimeout = 'idle-timeout',
  /** The total time allowed before login ran out. */
  LoginTimeout = 'login-timeout',
  /** The client closed the connection (or it failed). */
  Closed = 'closed',
  /** The reader was detached (handoff) or closed by us. */
  Detached = 'detached',
}

/** A read that could not complete; `failure` says why. */
export class InputError extends Error {
  constructor(
    readonly failure: InputFailure,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}
