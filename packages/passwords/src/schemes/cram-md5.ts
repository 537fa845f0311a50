/**
 * CRAM-MD5 and its alias HMAC-MD5: the 32-byte HMAC-MD5 context, hex by default, that lets the
 * RFC 2195 CRAM-MD5 mechanism work without the plaintext (see `algorithms/hmac-md5-context.ts`).
 */
import { CRAM_MD5_CONTEXT_LENGTH, hmacMd5Context } from '../algorithms/hmac-md5-context.js';
import { equalBytes } from '../constant-time.js';
import type { PasswordScheme } from '../scheme.js';

/** The CRAM-MD5 context scheme called `name`. */
export function cramMd5Scheme(name: string): PasswordScheme {
  return {
    name,
    defaultEncoding: 'hex',
    rawLength: CRAM_MD5_CONTEXT_LENGTH,
    reversible: false,
    verify: async (password, raw) => equalBytes(hmacMd5Context(password), raw),
    generate: async (password) => hmacMd5Context(password),
  };
}
