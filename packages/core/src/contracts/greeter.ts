import type { RawOptionLookup } from '../raw-options.js';
import type { TlsInfo } from './connection.js';

/**
 * What a login service's greeting said, handed to its `handle()` when the forker greeted before the
 * service was loaded (docs/architecture.md "Greeting first"). The service then sends no greeting of
 * its own and continues the same session.
 */
export interface GreetingSent {
  /** The greeting line as sent, without CRLF. */
  readonly line: string;
  /** The challenge the greeting carried (POP3 APOP timestamp, RFC 1939 §7), if any. */
  readonly challenge?: string;
}

/** What the greeting depends on, known before any client byte is read. */
export interface GreetingFacts {
  /** TLS is already active (implicit TLS: the handshake came first, RFC 8314 §3.3). */
  readonly secured: boolean;
  /** The client is on a trusted network. */
  readonly trusted: boolean;
  /** TLS facts when secured (a verified client certificate lets SASL EXTERNAL be advertised). */
  readonly tls?: TlsInfo;
}

/** A greeting ready to write, and the reply that ends the session if the service then fails to load. */
export interface EarlyGreeting extends GreetingSent {
  /** The protocol's "service unavailable" farewell (IMAP `* BYE [UNAVAILABLE]`, POP3 `-ERR [SYS/TEMP]`), without CRLF. */
  readonly unavailable: string;
}

/**
 * The light `greeting` subpath export of a login plugin (`@pigeondeliver/login-imap/greeting`): it
 * computes the exact greeting of the full service from raw option values, without loading the DI
 * container, the logger or the database, so that a one-process-per-connection launch greets first.
 */
export interface Greeter {
  readonly apiVersion: number;
  /** The login plugin's name (`login-imap`). */
  readonly name: string;
  /**
   * The greeting for one connection. Throws (typically a ConfigError) when a value it needs is bad:
   * the forker then greets through the full service, whose validation reports it as usual.
   */
  greet(lookup: RawOptionLookup, facts: GreetingFacts): EarlyGreeting;
}
