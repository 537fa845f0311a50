/**
 * PASS (RFC 1939 §7), valid right after an accepted USER. The password is the rest of the line, spaces
 * included (RFC 1939 §7: "the server may treat the space as part of the password"), any bytes but NUL,
 * CR and LF. On success the backend answers `+OK`.
 */
import { Pop3State } from '../pop3-session.js';
import { completeLogin } from '../login-completion.js';
import type { Pop3Command } from './pop3-command.js';

export const passCommand: Pop3Command = {
  name: 'PASS',
  allowedIn: [Pop3State.UserGiven],
  arity: { min: 1, max: Number.POSITIVE_INFINITY },
  wrongStateText: 'No username given.',
  async handle(session, command) {
    const { services, connection: conn } = session;
    const login = session.pendingUser!;
    const outcome = await services.authenticator.authenticate({
      sessionId: conn.sessionId,
      protocol: 'pop3',
      mechanism: 'USER',
      login,
      credentials: { kind: 'password', password: Buffer.from(command.rest) },
      remote: conn.remote,
      local: conn.local,
      secured: conn.secured,
      trusted: session.clientTrusted,
    });
    return completeLogin(session, 'USER', outcome);
  },
};
