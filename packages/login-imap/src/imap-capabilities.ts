/**
 * The pre-login CAPABILITY list (RFC 9051 §7.2.2): recomputed on every use, so it changes after
 * STARTTLS (RFC 9051 §6.2.1: the client must ask again). {@link capabilityList} is the pure rule,
 * shared with the early greeting (`greeting.ts`), so both say the same.
 */
import type { ImapSession } from './imap-session.js';

/** What the list depends on. */
export interface CapabilityFacts {
  /** STARTTLS can be started now (not secured, and the connection offers it). */
  readonly startTls: boolean;
  /** Plaintext login is allowed now. */
  readonly plaintextAllowed: boolean;
  /** SASL mechanisms advertised now. */
  readonly mechanisms: readonly string[];
}

/** The capabilities for {@link CapabilityFacts}. */
export function capabilityList(facts: CapabilityFacts): string[] {
  const caps = ['IMAP4rev1', 'SASL-IR', 'LITERAL+', 'ID'];
  if (facts.startTls) caps.push('STARTTLS');
  // RFC 9051 §6.2.3 / RFC 3501 §6.2.3: LOGINDISABLED when plaintext login is refused here.
  if (!facts.plaintextAllowed) caps.push('LOGINDISABLED');
  for (const m of facts.mechanisms) caps.push(`AUTH=${m}`);
  return caps;
}

/** The greeting line (RFC 9051 §7.1.1 OK with a CAPABILITY response code), without CRLF. */
export function greetingLine(facts: CapabilityFacts, text: string): string {
  return `* OK [CAPABILITY ${capabilityList(facts).join(' ')}] ${text} ready.`;
}

/** The {@link CapabilityFacts} of this session now. */
export function capabilityFacts(session: ImapSession): CapabilityFacts {
  const { services, connection } = session;
  return {
    startTls: !connection.secured && connection.startTls !== undefined,
    plaintextAllowed: services.sasl.plaintextAllowed(session.security),
    mechanisms: services.sasl.advertised(session.security, services.authenticator),
  };
}

/** Capabilities advertised before login on this session. */
export function capabilities(session: ImapSession): string[] {
  return capabilityList(capabilityFacts(session));
}
