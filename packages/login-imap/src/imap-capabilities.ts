/**
 * The pre-login CAPABILITY list (RFC 9051 §7.2.2): recomputed on every use, so it changes after
 * STARTTLS (RFC 9051 §6.2.1: the client must ask again).
 */
import type { ImapSession } from './imap-session.js';

/** Capabilities advertised before login. */
export function capabilities(session: ImapSession): string[] {
  const { services, connection } = session;
  const caps = ['IMAP4rev1', 'SASL-IR', 'LITERAL+', 'ID'];
  if (!connection.secured && connection.startTls) caps.push('STARTTLS');
  // RFC 9051 §6.2.3 / RFC 3501 §6.2.3: LOGINDISABLED when plaintext login is refused here.
  if (!services.sasl.plaintextAllowed(session.security)) caps.push('LOGINDISABLED');
  for (const m of services.sasl.advertised(session.security, services.authenticator)) caps.push(`AUTH=${m}`);
  return caps;
}
