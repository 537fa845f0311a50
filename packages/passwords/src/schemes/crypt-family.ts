/**
 * Verification shared by every crypt(3) style scheme: recognise the family from the `$id$` prefix
 * (as crypt(3) itself does), check the whole string is well formed, recompute it off the event loop
 * (the system's crypt(3) when the pd_crypt addon is built, else JavaScript on the worker pool)
 * and compare in constant time (Dovecot's `crypt_verify`).
 */
import { parseShaCryptSetting } from '../algorithms/sha-crypt.js';
import { computeCrypt } from '../compute-crypt.js';
import { equalStrings } from '../constant-time.js';
import type { CryptAlgorithm } from '../crypt-task.js';
import type { VerifyContext } from '../scheme.js';

/** Whole-string formats of the families this package computes. */
const FORMATS: readonly { readonly algorithm: CryptAlgorithm; readonly label: string; readonly format: RegExp }[] = [
  { algorithm: 'md5-crypt', label: 'MD5-crypt ($1$)', format: /^\$1\$[^$]{0,8}\$[./0-9A-Za-z]{22}$/ },
  { algorithm: 'sha-crypt', label: 'SHA256-crypt ($5$)', format: /^\$5\$(?:rounds=\d{1,30}\$)?[^$]{0,16}\$[./0-9A-Za-z]{43}$/ },
  { algorithm: 'sha-crypt', label: 'SHA512-crypt ($6$)', format: /^\$6\$(?:rounds=\d{1,30}\$)?[^$]{0,16}\$[./0-9A-Za-z]{86}$/ },
  { algorithm: 'bcrypt', label: 'bcrypt ($2a$/$2b$/$2y$)', format: /^\$2[aby]\$(?:0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/ },
];

const PREFIXES: readonly [string, number][] = [['$1$', 0], ['$5$', 1], ['$6$', 2], ['$2a$', 3], ['$2b$', 3], ['$2y$', 3]];

/** Whether the bytes survive a UTF-8 round trip (bcryptjs only hashes JavaScript strings). */
export function isUtf8RoundTrip(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/**
 * Verifies `password` against the crypt(3) string `stored`. `only` restricts the accepted family
 * (MD5-CRYPT accepts only `$1$`). An empty value never matches (crypt_verify's "size == 0" rule);
 * traditional DES and unknown `$id$` prefixes fail with a clear reason.
 */
export async function verifyCrypt(
  password: Buffer,
  stored: string,
  context: VerifyContext,
  only?: CryptAlgorithm,
): Promise<boolean> {
  if (stored === '') return false;
  const known = PREFIXES.find(([prefix]) => stored.startsWith(prefix));
  if (!known) {
    if (only === 'md5-crypt') context.fail('value is not an MD5-crypt ($1$...) string');
    const id = /^\$([^$]{1,8})\$/.exec(stored)?.[1];
    if (id !== undefined) context.fail(`unsupported crypt(3) method $${id}$`);
    context.fail('traditional DES crypt(3) values are not supported');
  }
  const family = FORMATS[known[1]]!;
  if (only !== undefined && family.algorithm !== only) context.fail(`value is not an MD5-crypt ($1$...) string`);
  const wellFormed = family.format.test(stored) && (family.algorithm !== 'sha-crypt' || parseShaCryptSetting(stored) !== undefined);
  if (!wellFormed) context.fail(`malformed ${family.label} value`);
  // bcryptjs sees a string: bytes that are not UTF-8 cannot be hashed as given, so they cannot match.
  if (family.algorithm === 'bcrypt' && !isUtf8RoundTrip(password)) return false;
  const computed = await computeCrypt({ algorithm: family.algorithm, password, setting: stored });
  return equalStrings(computed, stored);
}
