/**
 * MD5-crypt (`$1$`), Poul-Henning Kamp's FreeBSD algorithm, as Dovecot's
 * `password_generate_md5_crypt()` and glibc implement it. Synchronous: call it from the worker pool.
 */
import { createHash } from 'node:crypto';
import { cryptBase64 } from './crypt-base64.js';

/** The magic prefix of MD5-crypt strings. */
export const MD5_CRYPT_MAGIC = '$1$';
/** MD5-crypt uses at most 8 salt characters; the rest is ignored. */
export const MD5_CRYPT_SALT_MAX = 8;

/** Byte order of the final encoding (FreeBSD `crypt-md5.c`). */
const ORDER = [
  [0, 6, 12, 4], [1, 7, 13, 4], [2, 8, 14, 4], [3, 9, 15, 4], [4, 10, 5, 4], [-1, -1, 11, 2],
] as const;

/**
 * The salt of an MD5-crypt setting: after an optional `$1$`, up to the next `$` and at most 8
 * characters (exactly what the C code reads).
 */
export function md5CryptSalt(setting: string): string {
  const rest = setting.startsWith(MD5_CRYPT_MAGIC) ? setting.slice(MD5_CRYPT_MAGIC.length) : setting;
  const end = rest.indexOf('$');
  return (end < 0 ? rest : rest.slice(0, end)).slice(0, MD5_CRYPT_SALT_MAX);
}

/** Computes `$1$<salt>$<hash>` for `password` with the salt taken from `setting` (see {@link md5CryptSalt}). */
export function md5Crypt(password: Uint8Array, setting: string): string {
  const saltText = md5CryptSalt(setting);
  const salt = Buffer.from(saltText, 'latin1');
  const key = Buffer.from(password);

  const alt = createHash('md5').update(key).update(salt).update(key).digest();
  const ctx = createHash('md5').update(key).update(MD5_CRYPT_MAGIC).update(salt);
  for (let left = key.length; left > 0; left -= 16) ctx.update(alt.subarray(0, Math.min(left, 16)));
  // "Then something really weird...": one NUL byte or the first key byte per bit of the length.
  const zero = Buffer.alloc(1);
  const first = key.subarray(0, 1);
  for (let i = key.length; i > 0; i >>>= 1) ctx.update((i & 1) !== 0 ? zero : first);
  let final = ctx.digest();

  for (let i = 0; i < 1000; i++) {
    const round = createHash('md5');
    round.update((i & 1) !== 0 ? key : final);
    if (i % 3 !== 0) round.update(salt);
    if (i % 7 !== 0) round.update(key);
    round.update((i & 1) !== 0 ? final : key);
    final = round.digest();
  }
  return `${MD5_CRYPT_MAGIC}${saltText}$${cryptBase64(final, ORDER)}`;
}
