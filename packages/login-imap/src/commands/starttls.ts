/**
 * STARTTLS (RFC 9051 §6.2.1, RFC 3501 §6.2.1): everything the client sent after the command is
 * discarded before the handshake (no plaintext command injection into the TLS session), then the
 * reader follows the TLS stream; capabilities change (the client must ask again).
 */
import { ImapState } from '../imap-session.js';
import { ImapReply, tagged } from '../replies.js';
import { CommandOutcome, type ImapCommand } from './imap-command.js';

export const starttlsCommand: ImapCommand = {
  name: 'STARTTLS',
  allowedIn: [ImapState.NotAuthenticated],
  arity: { min: 0, max: 0 },
  async handle(session, command) {
    const conn = session.connection;
    if (conn.secured) {
      session.write(tagged(command.tag, ImapReply.Bad, 'TLS is already active.'));
      return CommandOutcome.Continue;
    }
    if (!conn.startTls) {
      session.write(tagged(command.tag, ImapReply.Bad, 'TLS support isn\'t enabled.'));
      return CommandOutcome.Continue;
    }
    const dropped = session.reader.discardBuffered();
    if (dropped > 0) conn.log.info({ session: conn.sessionId, bytes: dropped }, 'discarded input pipelined after STARTTLS');
    session.write(tagged(command.tag, ImapReply.Ok, 'Begin TLS negotiation now.'));
    try {
      // Called in the same tick as the reply and the discard: nothing can slip in between.
      await conn.startTls();
    } catch (e) {
      conn.log.info({ session: conn.sessionId, err: (e as Error).message }, 'STARTTLS handshake failed');
      session.state = ImapState.Done;
      return CommandOutcome.Close;
    }
    session.reader.replaceStream(conn.stream);
    conn.log.debug({ session: conn.sessionId, tls: conn.tls?.protocol }, 'TLS established');
    return CommandOutcome.Continue;
  },
};
