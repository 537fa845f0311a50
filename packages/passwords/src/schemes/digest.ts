/**
 * Unsalted digests of the password: SHA/SHA1, SHA256, SHA512 (base64 by default), PLAIN-MD5 (hex)
 * and LDAP-MD5 (base64, RFC 2307 style). Dovecot verifies them by regenerating and comparing.
 */
import { createHash } from 'node:crypto';
import { equalBytes } from '../constant-time.js';
import type { PasswordEncoding } from '../raw-encoding.js';
import type { PasswordScheme } from '../scheme.js';

/** The hash functions these schemes use, with their digest lengths. */
export const DIGEST_LENGTH = { md5: 16, sha1: 20, sha256: 32, sha512: 64 } as const;

/** A digest algorithm name `node:crypto` knows. */
export type DigestAlgorithm = keyof typeof DIGEST_LENGTH;

/** The unsalted `algorithm` digest scheme called `name`, written in `encoding` by default. */
export function digestScheme(name: string, algorithm: DigestAlgorithm, encoding: PasswordEncoding): PasswordScheme {
  const digest = (password: Buffer) => createHash(algorithm).update(password).digest();
  return {
    name,
    defaultEncoding: encoding,
    rawLength: DIGEST_LENGTH[algorithm],
    reversible: false,
    verify: async (password, raw) => equalBytes(digest(password), raw),
    generate: async (password) => digest(password),
  };
}
