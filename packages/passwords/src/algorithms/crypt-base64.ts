/**
 * The crypt(3) flavour of base 64: `./0-9A-Za-z`, least significant 6 bits first, written in groups of
 * up to three bytes (Poul-Henning Kamp's MD5-crypt `to64`, Drepper's SHA-crypt `b64_from_24bit`).
 */
import { CRYPT_ALPHABET } from '../crypt-salt.js';

/**
 * Encodes `digest` by taking the byte triples in `order` (each `[b2, b1, b0]`, most significant first)
 * and writing `chars` characters for each, as the crypt(3) specifications list them.
 */
export function cryptBase64(digest: Uint8Array, order: readonly (readonly [number, number, number, number])[]): string {
  let out = '';
  for (const [b2, b1, b0, chars] of order) {
    let w = ((b2 < 0 ? 0 : digest[b2]!) << 16) | ((b1 < 0 ? 0 : digest[b1]!) << 8) | digest[b0]!;
    for (let n = 0; n < chars; n++) {
      out += CRYPT_ALPHABET[w & 0x3f];
      w >>>= 6;
    }
  }
  return out;
}
