/** CAPA (RFC 2449 §5): a multi-line list, recomputed on every call. */
import { capabilities } from '../pop3-capabilities.js';
import { Pop3State } from '../pop3-session.js';
import { ok } from '../replies.js';
import { CommandOutcome, type Pop3Command } from './pop3-command.js';

export const capaCommand: Pop3Command = {
  name: 'CAPA',
  allowedIn: [Pop3State.Authorization, Pop3State.UserGiven],
  arity: { min: 0, max: 0 },
  async handle(session) {
    session.writeMultiline(ok(), capabilities(session));
    return CommandOutcome.Continue;
  },
};
