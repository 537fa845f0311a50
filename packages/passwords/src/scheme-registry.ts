/**
 * The explicit table of scheme names (Dovecot's `builtin_schemes[]` plus the crypt and sodium ones),
 * and name lookup with the `.HEX` / `.B64` / `.BASE64` suffix (Dovecot's `password_scheme_lookup`).
 */
import { PasswordSchemeError } from './password-scheme-error.js';
import type { PasswordEncoding } from './raw-encoding.js';
import type { PasswordScheme } from './scheme.js';
import { argon2Scheme } from './schemes/argon2.js';
import { cramMd5Scheme } from './schemes/cram-md5.js';
import {
  blfCryptScheme,
  cryptAnyScheme,
  desCryptScheme,
  md5CryptScheme,
  md5Scheme,
  sha256CryptScheme,
  sha512CryptScheme,
} from './schemes/crypt.js';
import { digestMd5Scheme } from './schemes/digest-md5.js';
import { digestScheme } from './schemes/digest.js';
import { pbkdf2Scheme } from './schemes/pbkdf2.js';
import { plainScheme, plainTruncScheme } from './schemes/plain.js';
import { saltedDigestScheme } from './schemes/salted-digest.js';
import { scramScheme } from './schemes/scram.js';

const SCHEMES: readonly PasswordScheme[] = [
  plainScheme('PLAIN'),
  plainScheme('CLEAR'),
  plainScheme('CLEARTEXT'),
  plainTruncScheme,
  digestScheme('PLAIN-MD5', 'md5', 'hex'),
  digestScheme('LDAP-MD5', 'md5', 'base64'),
  digestScheme('SHA', 'sha1', 'base64'),
  digestScheme('SHA1', 'sha1', 'base64'),
  digestScheme('SHA256', 'sha256', 'base64'),
  digestScheme('SHA512', 'sha512', 'base64'),
  saltedDigestScheme('SMD5', 'md5'),
  saltedDigestScheme('SSHA', 'sha1'),
  saltedDigestScheme('SSHA256', 'sha256'),
  saltedDigestScheme('SSHA512', 'sha512'),
  md5Scheme,
  md5CryptScheme,
  cryptAnyScheme,
  sha256CryptScheme,
  sha512CryptScheme,
  blfCryptScheme,
  desCryptScheme,
  argon2Scheme('ARGON2I', 'argon2i'),
  argon2Scheme('ARGON2ID', 'argon2id'),
  pbkdf2Scheme,
  cramMd5Scheme('CRAM-MD5'),
  cramMd5Scheme('HMAC-MD5'),
  scramScheme('SCRAM-SHA-1', 'sha1'),
  scramScheme('SCRAM-SHA-256', 'sha256'),
  digestMd5Scheme,
];

const BY_NAME: ReadonlyMap<string, PasswordScheme> = new Map(SCHEMES.map((s) => [s.name, s]));

/** Schemes Dovecot knows that this package deliberately does not implement, and why. */
const NOT_IMPLEMENTED: ReadonlyMap<string, string> = new Map([
  ['PLAIN-MD4', 'MD4 is not available in this Node.js/OpenSSL build'],
  ['LANMAN', 'LANMAN hashes are not supported'],
  ['NTLM', 'NTLM hashes are not supported'],
  ['OTP', 'one-time password schemes are not supported'],
  ['SKEY', 'one-time password schemes are not supported'],
  ['RPA', 'RPA is not supported'],
]);

/** A scheme found by name, with the encoding its suffix asked for (`undefined`: no suffix). */
export interface SchemeLookup {
  readonly scheme: PasswordScheme;
  readonly encoding: PasswordEncoding | undefined;
  /** The suffix as written (`HEX`, `B64`, `BASE64`, upper-cased), for writing the name back. */
  readonly suffix: string | undefined;
}

/**
 * Finds `name` (case-insensitive, optionally `NAME.HEX`, `NAME.B64` or `NAME.BASE64`). Throws
 * {@link PasswordSchemeError} for an unknown or unimplemented scheme and for any other suffix (Dovecot
 * treats an unknown suffix as an invalid scheme).
 */
export function lookupScheme(name: string, user?: string): SchemeLookup {
  const dot = name.indexOf('.');
  const base = (dot < 0 ? name : name.slice(0, dot)).toUpperCase();
  const suffix = dot < 0 ? undefined : name.slice(dot + 1).toUpperCase();
  const scheme = BY_NAME.get(base);
  if (!scheme) {
    const why = NOT_IMPLEMENTED.get(base);
    // The name comes from stored data: name it only when it looks like a scheme name.
    const shown = /^[A-Z0-9_-]{1,32}$/.test(base) ? base : '(not a scheme name)';
    throw new PasswordSchemeError(shown, why ?? 'unknown password scheme', user);
  }
  let encoding: PasswordEncoding | undefined;
  if (suffix === 'HEX') encoding = 'hex';
  else if (suffix === 'B64' || suffix === 'BASE64') encoding = 'base64';
  else if (suffix !== undefined) {
    throw new PasswordSchemeError(scheme.name, 'unknown encoding suffix (use .HEX, .B64 or .BASE64)', user);
  }
  return { scheme, encoding, suffix };
}

/** Every scheme name this package verifies and generates, in table order. */
export function supportedSchemes(): string[] {
  return SCHEMES.map((s) => s.name);
}
