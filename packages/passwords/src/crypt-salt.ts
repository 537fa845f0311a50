/**
 * Random salts in the crypt(3) alphabet, as Dovecot's `password_generate_salt()` makes them.
 */
import { randomBytes } from 'node:crypto';

/** The crypt(3) base-64 alphabet (`./0-9A-Za-z`), also Dovecot's `salt_chars`. */
export const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` random characters from {@link CRYPT_ALPHABET} (64 symbols, so `byte & 63` has no bias). */
export function cryptSalt(length: number): string {
  const bytes = randomBytes(length);
  let salt = '';
  for (const byte of bytes) salt += CRYPT_ALPHABET[byte & 63];
  return salt;
}
