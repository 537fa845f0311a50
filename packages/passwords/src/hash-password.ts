/**
 * Generating a stored value `{SCHEME}...` for a new password (Dovecot's `password_generate_encoded`,
 * what `doveadm pw` prints).
 */
import { MAX_PASSWORD_BYTES, passwordBytes } from './password-bytes.js';
import { encodeRaw } from './raw-encoding.js';
import type { GenerateParams } from './scheme.js';
import { lookupScheme } from './scheme-registry.js';

/** Options of {@link hashPassword}; see {@link GenerateParams} for what `rounds` means per scheme. */
export type HashPasswordOptions = GenerateParams;

/**
 * Hashes `password` with `scheme` (case-insensitive, optionally with `.HEX`/`.B64`/`.BASE64`) and
 * returns `{SCHEME}value`, e.g. `{SHA512-CRYPT}$6$...` or `{SHA256.HEX}...`. Rejects with
 * `PasswordSchemeError` for unknown schemes, `RangeError` for a bad `rounds` or a password over
 * {@link MAX_PASSWORD_BYTES}.
 */
export async function hashPassword(
  scheme: string,
  password: string | Uint8Array,
  options: HashPasswordOptions = {},
): Promise<string> {
  if (typeof scheme !== 'string') throw new TypeError(`scheme must be a string, got ${typeof scheme}`);
  const { rounds } = options;
  if (rounds !== undefined && !(Number.isSafeInteger(rounds) && rounds >= 0)) {
    throw new RangeError(`rounds must be a non-negative integer (0 for the scheme's default), got ${rounds}`);
  }
  const bytes = passwordBytes(password);
  if (bytes.length > MAX_PASSWORD_BYTES) {
    throw new RangeError(`password is longer than ${MAX_PASSWORD_BYTES} bytes`);
  }
  const found = lookupScheme(scheme, options.user);
  const raw = await found.scheme.generate(bytes, options);
  const encoding = found.encoding ?? found.scheme.defaultEncoding;
  const name = found.suffix === undefined ? found.scheme.name : `${found.scheme.name}.${found.suffix}`;
  return `{${name}}${encodeRaw(raw, encoding)}`;
}
