/**
 * APOP (RFC 1939 §7): the greeting carries a unique timestamp; the client proves the password with
 * `MD5(timestamp + password)` in hex. The server must know the plaintext password, so only reversible
 * stored values (`{PLAIN}`, `{CLEAR}`...) can serve it; @pigeondeliver/passwords' `plaintextFor`
 * recovers it. The passwords package is imported on first use (startup stays light).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Checks an APOP digest against a stored password. */
export interface ApopVerifier {
  /**
   * Resolves true when `digest` (16 raw bytes) is MD5(timestamp + plaintext of `stored`). Resolves
   * false when the stored value is not reversible; rejects when it is unusable (unknown scheme,
   * malformed): the authenticator then answers a temporary failure, never a success.
   */
  check(stored: string, login: string, timestamp: string, digest: Buffer): Promise<boolean>;
}

type PasswordsModule = typeof import('@pigeondeliver/passwords');

/** {@link ApopVerifier} over @pigeondeliver/passwords' `plaintextFor`. */
export class PasswordsApopVerifier implements ApopVerifier {
  private module: Promise<PasswordsModule> | undefined;

  /** `defaultScheme`: scheme of stored values without `{SCHEME}` (login-common's setting); empty: the package default. */
  constructor(private readonly defaultScheme: string) {}

  async check(stored: string, login: string, timestamp: string, digest: Buffer): Promise<boolean> {
    this.module ??= import('@pigeondeliver/passwords');
    const p = await this.module;
    const plain = p.plaintextFor(stored, { defaultScheme: this.defaultScheme || undefined, user: login });
    if (plain === null) return false;
    const expected = apopDigest(timestamp, plain);
    return digest.length === expected.length && timingSafeEqual(digest, expected);
  }
}

/** MD5(timestamp + password), raw (RFC 1939 §7). */
export function apopDigest(timestamp: string, password: Buffer): Buffer {
  return createHash('md5').update(Buffer.from(timestamp, 'latin1')).update(password).digest();
}

/**
 * A fresh timestamp `<pid.random@hostname>` (RFC 1939 §7 asks for a msg-id that is different every
 * time the greeting is sent; 12 random bytes make it unique without a clock).
 */
export function apopTimestamp(hostname: string): string {
  const host = hostname.replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
  return `<${process.pid}.${randomBytes(12).toString('hex')}@${host}>`;
}
