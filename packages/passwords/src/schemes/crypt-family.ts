/**
 * Verification shared by every crypt(3) style scheme: recognise the family from the `$id$` prefix
 * (as crypt(3) itself does), check the whole string is well formed, recompute it off the event loop
 * (the system's crypt(3) when the pd_crypt addon is built, else JavaScript on the worker pool)
 * and compare in constant time (Dovecot's `crypt_verify`).
 */
import { parseShaCryptSetting } from '../algorithms/sha-crypt.js';
import { computeCrypt, computeSystemCrypt } from '../compute-crypt.js';
import { equalStrings } from '../constant-time.js';
import type { CryptAlgorithm } from '../crypt-task.js';
import { cryptAddon } from '../native-crypt.js';
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

/** How an error names the method of a crypt(3) value this package has no code of its own for. */
function methodLabel(stored: string): string {
  const id = /^\$([^$]{1,8})\$/.exec(stored)?.[1];
  if (id !== undefined) return `crypt(3) method $${id}$`;
  return stored.startsWith('_') ? 'BSDi DES crypt(3)' : 'traditional DES crypt(3)';
}

/**
 * Any other method the system's crypt(3) knows (DES, BSDi, yescrypt, gost-yescrypt, scrypt, `$2x$`),
 * as Dovecot's crypt_verify hands every value to crypt(3). Needs the pd_crypt addon; a value the
 * library refuses fails like Dovecot's "crypt() failed". A password holding a NUL byte never reaches
 * crypt(3) in Dovecot (C strings), so it never matches here.
 */
async function verifySystemCrypt(password: Buffer, stored: string, context: VerifyContext): Promise<boolean> {
  const label = methodLabel(stored);
  if (password.includes(0)) {
    if (cryptAddon() === undefined) context.fail(`${label} values need the system crypt(3) (the pd_crypt addon is not built)`);
    return false;
  }
  const computed = await computeSystemCrypt(password, stored);
  if (computed === undefined) context.fail(`${label} values need the system crypt(3) (the pd_crypt addon is not built)`);
  if (computed === null) context.fail(`${label}: unsupported method or malformed value (the system crypt(3) refused it)`);
  return equalStrings(computed, stored);
}

/**
 * Verifies `password` against the crypt(3) string `stored`. `only` restricts the accepted family
 * (MD5-CRYPT accepts only `$1$`). An empty value never matches (crypt_verify's "size == 0" rule).
 * Methods other than MD5-crypt, SHA-crypt and bcrypt go to the system's crypt(3) only (see
 * verifySystemCrypt) and fail with a clear reason where it is not built or refuses them.
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
    return verifySystemCrypt(password, stored, context);
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
