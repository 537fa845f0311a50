/** QUIT (RFC 1939 §4: in the AUTHORIZATION state the server closes without entering UPDATE). */
import { Pop3State } from '../pop3-session.js';
import { ok } from '../replies.js';
import { CommandOutcome, type Pop3Command } from './pop3-command.js';

export const quitCommand: Pop3Command = {
  name: 'QUIT',
  allowedIn: [Pop3State.Authorization, Pop3State.UserGiven],
  arity: { min: 0, max: 0 },
  async handle(session) {
    session.write(ok('Logging out'));
    session.state = Pop3State.Done;
    return CommandOutcome.Close;
  },
};
