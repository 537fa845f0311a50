/** The shape of one pre-login command module (WildDuck's `{ state, schema, handler }`). */
import type { Pop3CommandLine } from '../pop3-command-line.js';
import type { Pop3Session, Pop3State } from '../pop3-session.js';

/** What the dispatcher does after a command. */
export enum CommandOutcome {
  /** Read the next command. */
  Continue = 'continue',
  /** The command already said its last words: close the connection. */
  Close = 'close',
  /** The session belongs to a backend now: stop, keep the connection open. */
  HandedOff = 'handed-off',
}

/** One command. The dispatcher checks `allowedIn` and `arity` once; handlers never re-check. */
export interface Pop3Command {
  /** Upper-case keyword. */
  readonly name: string;
  readonly allowedIn: readonly Pop3State[];
  /** Number of space-separated arguments accepted. */
  readonly arity: { readonly min: number; readonly max: number };
  /** The `-ERR` text when the command comes in a state not in `allowedIn` (default: not allowed now). */
  readonly wrongStateText?: string;
  handle(session: Pop3Session, command: Pop3CommandLine): Promise<CommandOutcome>;
}
