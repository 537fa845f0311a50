/**
 * The protocol-neutral SASL server contract (RFC 4422). A mechanism turns client responses into
 * challenges and, at the end, into credentials the authenticator checks. Transport framing (IMAP
 * `+ ` continuations, POP3 `+ `, base64, `*` to cancel) is the protocol package's business; see
 * {@link SaslExchange} for the driver both protocols use.
 */
import type { CredentialCheck, TlsInfo, UserRecord } from '@pigeondeliver/core';

/** The result of looking a user up before the client's proof arrives (SCRAM's salt). */
export type PrefetchResult =
  | { readonly status: 'found'; readonly user: UserRecord; readonly password: string | null }
  | { readonly status: 'unknown' }
  | { readonly status: 'failed'; readonly reason: string };

/** What a mechanism knows about the connection and may ask of the user store. */
export interface SaslContext {
  readonly secured: boolean;
  readonly tls?: TlsInfo;
  /** Our host name, for CRAM-MD5 challenges. */
  readonly hostname: string;
  /** Looks the user up (once per attempt); SCRAM needs the stored hash before the proof. */
  prefetch(login: string): Promise<PrefetchResult>;
}

/** One step of a mechanism. */
export type SaslStep =
  /** Send `data` to the client as a challenge and wait for its response. */
  | { readonly kind: 'challenge'; readonly data: Buffer }
  /**
   * The exchange is complete on the client's side: check these credentials. When they are good and
   * `successData` is set, it is sent as a last challenge (SCRAM's server-final message, RFC 5802 §5:
   * IMAP has no "additional data with success" before RFC 9051, so it travels as a challenge whose
   * response must be empty).
   */
  | {
      readonly kind: 'verify';
      readonly login: string;
      readonly credentials: CredentialCheck;
      readonly prefetched?: PrefetchResult;
      readonly successData?: Buffer;
    }
  /** The client broke the mechanism's syntax (a protocol error, answered BAD / -ERR). */
  | { readonly kind: 'malformed'; readonly message: string };

/** The state of one mechanism run. */
export interface SaslMechanismSession {
  /**
   * Feeds the next client response; `undefined` at the start means "no initial response" (an empty
   * Buffer is an empty initial response, RFC 4959 `=`).
   */
  step(response: Buffer | undefined): Promise<SaslStep>;
}

/** Where a mechanism may be offered. */
export interface SaslMechanismTraits {
  /** Sends the password in the clear (PLAIN, LOGIN): only on secured or trusted connections unless configured. */
  readonly plaintext: boolean;
  /** Needs stored passwords that can serve it (CRAM-MD5, SCRAM-*). */
  readonly challengeResponse: boolean;
  /** Needs a verified TLS client certificate (EXTERNAL). */
  readonly clientCertificate: boolean;
  /** Needs the authenticator to read stored passwords before the proof (SCRAM). */
  readonly prefetch: boolean;
}

/** A SASL mechanism implementation. */
export interface SaslMechanism extends SaslMechanismTraits {
  /** IANA name, upper case (`SCRAM-SHA-256`). */
  readonly name: string;
  start(context: SaslContext): SaslMechanismSession;
}
