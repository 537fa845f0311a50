/**
 * STLS (RFC 2595 §4): everything the client sent after the command is discarded before the
 * handshake (no plaintext command injection into the TLS session, RFC 2595 §3.1 / RFC 3207 §6
 * reasoning), then the reader follows the TLS stream. A USER given before is forgotten, and the
 * capabilities change (the client must ask CAPA again).
 */
import { Pop3State } from '../pop3-session.js';
import { err, ok } from '../replies.js';
import { CommandOutcome, type Pop3Command } from './pop3-command.js';

export const stlsCommand: Pop3Command = {
  name: 'STLS',
  allowedIn: [Pop3State.Authorization, Pop3State.UserGiven],
  arity: { min: 0, max: 0 },
  async handle(session) {
    const conn = session.connection;
    if (conn.secured) {
      session.write(err('TLS is already active.'));
      return CommandOutcome.Continue;
    }
    if (!conn.startTls) {
      session.write(err('TLS support isn\'t enabled.'));
      return CommandOutcome.Continue;
    }
    session.startOver();
    const dropped = session.reader.discardBuffered();
    if (dropped > 0) conn.log.info({ session: conn.sessionId, bytes: dropped }, 'discarded input pipelined after STLS');
    session.write(ok('Begin TLS negotiation now.'));
    try {
      // Called in the same tick as the reply and the discard: nothing can slip in between.
      await conn.startTls();
    } catch (e) {
      conn.log.info({ session: conn.sessionId, err: (e as Error).message }, 'STLS handshake failed');
      session.state = Pop3State.Done;
      return CommandOutcome.Close;
    }
    session.reader.replaceStream(conn.stream);
    conn.log.debug({ session: conn.sessionId, tls: conn.tls?.protocol }, 'TLS established');
    return CommandOutcome.Continue;
  },
};
