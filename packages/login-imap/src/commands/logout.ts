/** LOGOUT (RFC 9051 §6.1.3): untagged BYE, then the tagged OK, then close. */
import { ImapState } from '../imap-session.js';
import { ImapReply, tagged, untagged } from '../replies.js';
import { CommandOutcome, type ImapCommand } from './imap-command.js';

export const logoutCommand: ImapCommand = {
  name: 'LOGOUT',
  allowedIn: [ImapState.NotAuthenticated],
  arity: { min: 0, max: 0 },
  async handle(session, command) {
    session.write(untagged(`${ImapReply.Bye} Logging out`));
    session.write(tagged(command.tag, ImapReply.Ok, 'Logout completed.'));
    session.state = ImapState.Done;
    return CommandOutcome.Close;
  },
};
