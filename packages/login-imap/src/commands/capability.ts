/** CAPABILITY (RFC 9051 §6.1.1). */
import { capabilities } from '../imap-capabilities.js';
import { ImapState } from '../imap-session.js';
import { ImapReply, tagged, untagged } from '../replies.js';
import { CommandOutcome, type ImapCommand } from './imap-command.js';

export const capabilityCommand: ImapCommand = {
  name: 'CAPABILITY',
  allowedIn: [ImapState.NotAuthenticated],
  arity: { min: 0, max: 0 },
  async handle(session, command) {
    session.capabilityRequested = true;
    session.write(untagged(`CAPABILITY ${capabilities(session).join(' ')}`));
    session.write(tagged(command.tag, ImapReply.Ok, 'Pre-login capabilities listed, post-login capabilities have more.'));
    return CommandOutcome.Continue;
  },
};
