/**
 * The pre-login CAPA list (RFC 2449 §5): recomputed on every use, so it changes after STLS
 * (RFC 2595 §4: the client must ask again) and per client (USER only where plaintext passwords are
 * allowed, XCLIENT only to trusted forwarders). Ordered as Dovecot's pop3-login lists it.
 */
import type { Pop3Session } from './pop3-session.js';

/** Capability lines before login, without the `+OK` line and the `.` terminator. */
export function capabilities(session: Pop3Session): string[] {
  const { services, connection } = session;
  // TOP and UIDL are what the backends (Dovecot, Courier) offer after login; listed as Dovecot does.
  const caps = ['CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE'];
  // RFC 2595 §4: STLS only while TLS is not active.
  if (!connection.secured && connection.startTls) caps.push('STLS');
  // RFC 2449 §6.8: USER only when USER/PASS may be used on this connection.
  if (services.sasl.plaintextAllowed(session.security)) caps.push('USER');
  // RFC 2449 §6.3 / RFC 5034 §3: the SASL mechanisms usable here.
  const mechanisms = services.sasl.advertised(session.security, services.authenticator);
  if (mechanisms.length > 0) caps.push(`SASL ${mechanisms.join(' ')}`);
  // Dovecot's XCLIENT: only a trusted proxy may name the real client.
  if (connection.trusted) caps.push('XCLIENT');
  // RFC 2449 §6.9.
  if (services.pop3.implementation) caps.push(`IMPLEMENTATION ${services.pop3.implementation}`);
  return caps;
}
