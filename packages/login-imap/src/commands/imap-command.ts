/** The shape of one pre-login command module (WildDuck's `{ state, schema, handler }`). */
import type { ImapCommandLine } from '../imap-parser.js';
import type { ImapSession, ImapState } from '../imap-session.js';

/** What the dispatcher does after a command. */
export enum CommandOutcome {
  /** Read the next command. */
  Continue = 'continue',
  /** The command already said goodbye: close the connection. */
  Close = 'close',
  /** The session belongs to a backend now: stop, keep the connection open. */
  HandedOff = 'handed-off',
}

/** One command. The dispatcher checks `allowedIn` and `arity` once; handlers never re-check. */
export interface ImapCommand {
  readonly name: string;
  readonly allowedIn: readonly ImapState[];
  /** Number of arguments accepted. */
  readonly arity: { readonly min: number; readonly max: number };
  handle(session: ImapSession, command: ImapCommandLine): Promise<CommandOutcome>;
}
