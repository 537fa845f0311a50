/**
 * The `.HEX` / `.B64` / `.BASE64` encodings of raw hash bytes (Dovecot's `enum password_encoding`).
 */

/** How the raw bytes of a hash are written after `{SCHEME}`: as is, hex, or base64 (RFC 4648 section 4). */
export type PasswordEncoding = 'none' | 'hex' | 'base64';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes hex (either case); `undefined` when `text` is not an even number of hex digits. */
export function decodeHex(text: string): Buffer | undefined {
  return HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/**
 * Decodes base64 with or without `=` padding; `undefined` on any character outside the alphabet, on
 * padding anywhere but the end, or on a length no encoder produces (one character past a multiple of 4).
 */
export function decodeBase64(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const body = text.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  if (text.length !== body.length && text.length % 4 !== 0) return undefined;
  return Buffer.from(body, 'base64');
}

/** Writes raw bytes in `encoding` (`none` means the bytes are text already, as crypt(3) strings are). */
export function encodeRaw(raw: Buffer, encoding: PasswordEncoding): string {
  switch (encoding) {
    case 'hex':
      return raw.toString('hex');
    case 'base64':
      return raw.toString('base64');
    case 'none':
      return raw.toString('utf8');
  }
}
