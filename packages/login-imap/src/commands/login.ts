/**
 * LOGIN (RFC 9051 §6.2.3): refused with `NO [PRIVACYREQUIRED]` where plaintext passwords are not
 * allowed (LOGINDISABLED advertised). The user name must be UTF-8; the password may be any 8-bit
 * bytes except NUL (a literal or quoted string).
 */
import { decodeUtf8 } from '@pigeondeliver/login-common';
import { valueBytes } from '../imap-parser.js';
import { ImapState } from '../imap-session.js';
import { completeLogin } from '../login-completion.js';
import { ImapReply, TEXT, tagged } from '../replies.js';
import { CommandOutcome, type ImapCommand } from './imap-command.js';

export const loginCommand: ImapCommand = {
  name: 'LOGIN',
  allowedIn: [ImapState.NotAuthenticated],
  arity: { min: 2, max: 2 },
  async handle(session, command) {
    const { services, connection: conn } = session;
    if (!services.sasl.plaintextAllowed(session.security)) {
      session.write(tagged(command.tag, ImapReply.No, TEXT.privacyRequired, 'PRIVACYREQUIRED'));
      return CommandOutcome.Continue;
    }
    const userBytes = valueBytes(command.args[0]);
    const password = valueBytes(command.args[1]);
    const login = userBytes === undefined ? undefined : decodeUtf8(userBytes);
    if (login === undefined || login.length === 0 || password === undefined || password.length === 0) {
      session.badCommands++;
      session.write(tagged(command.tag, ImapReply.Bad, 'LOGIN needs a UTF-8 user name and a password.'));
      return CommandOutcome.Continue;
    }
    const outcome = await services.authenticator.authenticate({
      sessionId: conn.sessionId,
      protocol: 'imap',
      mechanism: 'LOGIN',
      login,
      credentials: { kind: 'password', password },
      remote: conn.remote,
      local: conn.local,
      secured: conn.secured,
      trusted: session.clientTrusted,
    });
    return completeLogin(session, command.tag, 'LOGIN', outcome);
  },
};
