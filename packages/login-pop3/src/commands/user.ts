/**
 * USER (RFC 1939 §7): remembers the name for PASS. Refused with `-ERR [AUTH]` where plaintext
 * passwords are not allowed (RFC 2595 §2.3; CAPA then does not list USER, RFC 2449 §6.8). The name is
 * the rest of the line (as Dovecot takes it) and must be UTF-8. The reply never says whether the user
 * exists.
 */
import { decodeUtf8 } from '@pigeondeliver/login-common';
import { Pop3State } from '../pop3-session.js';
import { Pop3Code, TEXT, err, ok } from '../replies.js';
import { CommandOutcome, type Pop3Command } from './pop3-command.js';

export const userCommand: Pop3Command = {
  name: 'USER',
  allowedIn: [Pop3State.Authorization, Pop3State.UserGiven],
  arity: { min: 1, max: Number.POSITIVE_INFINITY },
  async handle(session, command) {
    const { services } = session;
    session.startOver();
    if (!services.sasl.plaintextAllowed(session.security)) {
      session.write(err(TEXT.privacyRequired, Pop3Code.Auth));
      return CommandOutcome.Continue;
    }
    const login = decodeUtf8(command.rest);
    if (login === undefined || login.trim().length === 0) {
      session.badCommands++;
      session.write(err('USER needs a UTF-8 user name.'));
      return CommandOutcome.Continue;
    }
    session.pendingUser = login;
    session.state = Pop3State.UserGiven;
    session.write(ok());
    return CommandOutcome.Continue;
  },
};
