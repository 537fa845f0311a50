/**
 * Salted digests `<digest(password + salt)><salt>`, base64 by default: SMD5, SSHA, SSHA256, SSHA512
 * (the OpenLDAP `{SSHA}` family). Dovecot writes 4-byte salts and accepts any salt length above 0.
 */
import { createHash, randomBytes } from 'node:crypto';
import { equalBytes } from '../constant-time.js';
import type { PasswordScheme } from '../scheme.js';
import { DIGEST_LENGTH, type DigestAlgorithm } from './digest.js';

/** Salt length Dovecot generates (`SSHA_SALT_LEN` and friends). */
export const SALTED_DIGEST_SALT_LENGTH = 4;

/** The salted `algorithm` scheme called `name`. */
export function saltedDigestScheme(name: string, algorithm: DigestAlgorithm): PasswordScheme {
  const length = DIGEST_LENGTH[algorithm];
  const digest = (password: Buffer, salt: Buffer) => createHash(algorithm).update(password).update(salt).digest();
  return {
    name,
    defaultEncoding: 'base64',
    rawLength: 0,
    reversible: false,
    async verify(password, raw, context) {
      if (raw.length <= length) context.fail(`value is too short (${raw.length} bytes, needs more than ${length})`);
      return equalBytes(digest(password, raw.subarray(length)), raw.subarray(0, length));
    },
    async generate(password) {
      const salt = randomBytes(SALTED_DIGEST_SALT_LENGTH);
      return Buffer.concat([digest(password, salt), salt]);
    },
  };
}
