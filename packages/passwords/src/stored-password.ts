/**
 * Parsing a stored password `{SCHEME[.ENC]}value` (Dovecot's `password_get_scheme`) and decoding its
 * value to raw bytes (`password_decode`).
 */
import { PasswordSchemeError } from './password-scheme-error.js';
import { decodeBase64, decodeHex, type PasswordEncoding } from './raw-encoding.js';
import type { PasswordScheme } from './scheme.js';
import { lookupScheme } from './scheme-registry.js';

/**
 * Scheme for values without a `{SCHEME}` prefix unless the caller says otherwise: CRYPT, which reads
 * `$1$`, `$5$`, `$6$` and `$2y$` values by their prefix (Dovecot's `default_pass_scheme` for
 * passwd-file; PigeonDeliver's `default_pass_scheme` option defaults to it too).
 */
export const DEFAULT_PASS_SCHEME = 'CRYPT';

/** A stored password split into its parts. */
export interface StoredPassword {
  /** Canonical scheme name (upper case, no suffix), e.g. `SHA256`. */
  readonly scheme: string;
  /** The encoding the value is in: from the suffix, else the scheme's default. */
  readonly encoding: PasswordEncoding;
  /** Whether the encoding came from a `.HEX`/`.B64`/`.BASE64` suffix (otherwise hex/base64 may be guessed). */
  readonly explicitEncoding: boolean;
  /** How the scheme was found: a `{SCHEME}` prefix, the `$1$` MD5-crypt shape, or the default scheme. */
  readonly source: 'prefix' | 'md5-crypt' | 'default';
  /** The text after the prefix (for `$1$` values, cut after the hash as Dovecot does). */
  readonly value: string;
}

/** A parsed stored password with its registry entry (internal to the package). */
export interface ResolvedPassword extends StoredPassword {
  readonly implementation: PasswordScheme;
}

/** Parses and resolves; see {@link parseStoredPassword}. */
export function resolveStoredPassword(stored: string, defaultScheme: string, user?: string): ResolvedPassword {
  if (typeof stored !== 'string') throw new TypeError(`stored password must be a string, got ${typeof stored}`);
  let name: string;
  let value: string;
  let source: StoredPassword['source'];
  const md5Crypt = /^\$1\$[^$]*\$[^$]*/.exec(stored);
  const close = stored.startsWith('{') ? stored.indexOf('}') : -1;
  if (md5Crypt) {
    // "$1$<salt>$<password>[$<ignored>]": MD5-CRYPT whatever the default scheme is.
    name = 'MD5-CRYPT';
    value = md5Crypt[0];
    source = 'md5-crypt';
  } else if (close > 0) {
    name = stored.slice(1, close);
    value = stored.slice(close + 1);
    source = 'prefix';
  } else {
    if (typeof defaultScheme !== 'string' || defaultScheme === '') {
      throw new PasswordSchemeError('(default)', 'no {SCHEME} prefix and no default scheme given', user);
    }
    name = defaultScheme;
    value = stored;
    source = 'default';
  }
  const found = lookupScheme(name, user);
  return {
    scheme: found.scheme.name,
    encoding: found.encoding ?? found.scheme.defaultEncoding,
    explicitEncoding: found.encoding !== undefined,
    source,
    value,
    implementation: found.scheme,
  };
}

/**
 * Splits `stored` into scheme, encoding and value: `{SCHEME}value`, `{SCHEME.HEX}value`; a value shaped
 * `$1$salt$hash` is MD5-CRYPT; anything else uses `defaultScheme` (see {@link DEFAULT_PASS_SCHEME}).
 * Scheme names are case-insensitive. Throws {@link PasswordSchemeError} for an unknown scheme or suffix.
 */
export function parseStoredPassword(stored: string, defaultScheme: string = DEFAULT_PASS_SCHEME): StoredPassword {
  const { implementation: _implementation, ...parsed } = resolveStoredPassword(stored, defaultScheme);
  return parsed;
}

/**
 * The raw bytes of a parsed value. Without a suffix, a fixed-length scheme's value is hex when it is
 * exactly twice the raw length and base64 otherwise (falling back to base64 when the hex guess fails);
 * the decoded length must then be the scheme's. Throws via `fail` on bad data.
 */
export function rawPasswordOf(parsed: ResolvedPassword, fail: (reason: string) => never): Buffer {
  const { implementation: scheme, value } = parsed;
  let encoding = parsed.encoding;
  const guessed = !parsed.explicitEncoding && encoding !== 'none' && scheme.rawLength !== 0;
  if (guessed) encoding = value.length === scheme.rawLength * 2 ? 'hex' : 'base64';
  let raw: Buffer | undefined;
  if (encoding === 'none') raw = Buffer.from(value, 'utf8');
  else if (encoding === 'hex') {
    raw = decodeHex(value);
    if (!raw && guessed) raw = decodeBase64(value);
    if (!raw) fail(guessed ? 'value is neither valid hex nor valid base64' : 'value is not valid hex');
  } else {
    raw = decodeBase64(value);
    if (!raw) fail('value is not valid base64');
  }
  if (scheme.rawLength !== 0 && raw.length !== scheme.rawLength) {
    fail(`decoded value is ${raw.length} bytes, expected ${scheme.rawLength}`);
  }
  return raw;
}
