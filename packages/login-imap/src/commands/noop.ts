/** NOOP (RFC 9051 §6.1.2). */
import { ImapState } from '../imap-session.js';
import { ImapReply, tagged } from '../replies.js';
import { CommandOutcome, type ImapCommand } from './imap-command.js';

export const noopCommand: ImapCommand = {
  name: 'NOOP',
  allowedIn: [ImapState.NotAuthenticated],
  arity: { min: 0, max: 0 },
  async handle(session, command) {
    session.write(tagged(command.tag, ImapReply.Ok, 'NOOP completed.'));
    return CommandOutcome.Continue;
  },
};
