/**
 * APOP (RFC 1939 §7): `APOP name digest`, digest = hex MD5(greeting timestamp + password). Offered only
 * when `pop3_apop=yes` (the greeting then carries the timestamp). It sends no password, so it is
 * allowed without TLS. Users whose stored password is not reversible fail like a wrong digest.
 */
import { decodeUtf8 } from '@pigeondeliver/login-common';
import { completeLogin } from '../login-completion.js';
import { Pop3State } from '../pop3-session.js';
import { Pop3Code, err } from '../replies.js';
import { CommandOutcome, type Pop3Command } from './pop3-command.js';

export const apopCommand: Pop3Command = {
  name: 'APOP',
  allowedIn: [Pop3State.Authorization, Pop3State.UserGiven],
  arity: { min: 2, max: 2 },
  async handle(session, command) {
    const { services, connection: conn } = session;
    session.startOver();
    const timestamp = session.apopTimestamp;
    if (timestamp === undefined) {
      session.write(err('APOP is not enabled on this server.', Pop3Code.Auth));
      return CommandOutcome.Continue;
    }
    const [nameText, digestText] = command.args as [string, string];
    const login = decodeUtf8(Buffer.from(nameText, 'latin1'));
    if (login === undefined || login.length === 0 || !/^[0-9a-fA-F]{32}$/.test(digestText)) {
      session.badCommands++;
      session.write(err('APOP needs a UTF-8 user name and a 32-digit hex MD5 digest.'));
      return CommandOutcome.Continue;
    }
    const digest = Buffer.from(digestText, 'hex');
    const outcome = await services.authenticator.authenticate({
      sessionId: conn.sessionId,
      protocol: 'pop3',
      mechanism: 'APOP',
      login,
      credentials: {
        kind: 'custom',
        check: (stored, user) => (stored === null ? Promise.resolve(false) : services.apop.check(stored, user.login, timestamp, digest)),
      },
      remote: conn.remote,
      local: conn.local,
      secured: conn.secured,
      trusted: session.clientTrusted,
    });
    return completeLogin(session, 'APOP', outcome);
  },
};
