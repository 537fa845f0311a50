/**
 * Constant-time comparison of secrets (Dovecot's `mem_equals_timing_safe`).
 */
import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two byte strings in time that depends only on their lengths, never on where they differ.
 * Different lengths return `false` after a same-length dummy comparison, so a length mismatch is not
 * measurably faster than a content mismatch.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** {@link equalBytes} on the UTF-8 bytes of two strings (crypt(3) results, encoded hashes). */
export function equalStrings(a: string, b: string): boolean {
  return equalBytes(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
