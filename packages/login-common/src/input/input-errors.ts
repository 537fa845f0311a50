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

/**
 * A read that could not complete; `failure` says why. These are the normal end of most connections
 * (the client closes, the reader is detached at the hand-off), so no stack trace is captured: it cost
 * about 2 % of a worker's CPU per login in the bench profiles, and the failure kind says everything.
 */
export class InputError extends Error {
  readonly failure: InputFailure;

  constructor(failure: InputFailure, message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.failure = failure;
    this.name = 'InputError';
  }
}
