/**
 * Turns the caller's password into the bytes every scheme hashes.
 */

/**
 * Longest password, in bytes, this package hashes. Mail clients send far shorter ones; the bound keeps
 * a hostile client from making SHA-crypt (whose cost grows with the password length) or PBKDF2 chew on
 * megabytes. {@link verifyPassword} answers `false` above it; {@link hashPassword} throws.
 */
export const MAX_PASSWORD_BYTES = 4096;

/**
 * The password as bytes: strings are UTF-8 encoded (as Dovecot receives them from IMAP/POP3 clients),
 * buffers are used as given. Throws a `TypeError` for anything else.
 */
export function passwordBytes(password: string | Uint8Array): Buffer {
  if (typeof password === 'string') return Buffer.from(password, 'utf8');
  if (password instanceof Uint8Array) return Buffer.from(password);
  throw new TypeError(`password must be a string or a Buffer, got ${password === null ? 'null' : typeof password}`);
}
