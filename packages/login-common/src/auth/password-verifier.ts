/**
 * What login-common needs from stored passwords, as an interface so the authenticator and the SASL
 * mechanisms can be tested without real hashes. The default implementation
 * ({@link DovecotPasswordVerifier}) uses @pigeondeliver/passwords.
 */

/** Hash functions of the SCRAM mechanisms (RFC 5802, RFC 7677). */
export type ScramHash = 'SHA-1' | 'SHA-256';

/** SCRAM server credentials (RFC 5802 §3): what a server stores for a user. */
export interface ScramCredentials {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/** Password checks against stored `{SCHEME}` values. Every method is safe to call with any string. */
export interface IPasswordVerifier {
  /**
   * Compares a presented password with a stored hash, off the event loop for expensive schemes.
   * Rejects when the stored value is unusable (unknown scheme, malformed hash): a temporary failure,
   * never a success.
   */
  verify(stored: string, password: Buffer, user: string): Promise<boolean>;
  /**
   * The expected CRAM-MD5 digest (RFC 2195: HMAC-MD5 keyed with the password) of `challenge`, when the
   * stored value allows computing it (plaintext or Dovecot's CRAM-MD5 context); undefined otherwise.
   */
  cramMd5Digest(stored: string, challenge: Buffer, user: string): Promise<Buffer | undefined>;
  /** SCRAM credentials from a stored SCRAM hash or a plaintext password; undefined when the scheme cannot serve. */
  scramCredentials(stored: string, hash: ScramHash, user: string): Promise<ScramCredentials | undefined>;
}
