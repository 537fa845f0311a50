/**
 * The HMAC-MD5 "context" Dovecot stores for its CRAM-MD5 scheme (`hmac_md5_get_cram_context()`):
 * 32 bytes, the MD5 state after the outer padded key block (key XOR 0x5c) then the state after the
 * inner one (key XOR 0x36), each as four little-endian words (`src/lib/hmac-cram-md5.c`: ctxo, then ctx). It lets a server answer RFC 2195 CRAM-MD5 without the plaintext
 * (RFC 2104 section 4, "the intermediate results ... can be precomputed").
 */
import { createHash } from 'node:crypto';
import { MD5_INITIAL_STATE, md5Compress, md5Finish, md5StateBytes, md5StateFrom } from './md5-state.js';

/** Length of a CRAM-MD5 context (Dovecot's `CRAM_MD5_CONTEXTLEN`). */
export const CRAM_MD5_CONTEXT_LENGTH = 32;

/** RFC 2104 section 2: keys longer than the 64-byte block are hashed first, then zero-padded. */
function paddedKey(password: Uint8Array, pad: number): Buffer {
  const key = password.length > 64 ? createHash('md5').update(password).digest() : Buffer.from(password);
  const block = Buffer.alloc(64, pad);
  for (let i = 0; i < key.length; i++) block[i] = key[i]! ^ pad;
  return block;
}

/** The 32-byte context for `password` (what `{CRAM-MD5}` stores, hex encoded). */
export function hmacMd5Context(password: Uint8Array): Buffer {
  const inner = md5Compress(MD5_INITIAL_STATE, paddedKey(password, 0x36));
  const outer = md5Compress(MD5_INITIAL_STATE, paddedKey(password, 0x5c));
  return Buffer.concat([md5StateBytes(outer), md5StateBytes(inner)]);
}

/**
 * HMAC-MD5 of `message` computed from a stored context: the 16-byte digest a CRAM-MD5 client sends
 * (hex encoded) in answer to the challenge `message` (RFC 2195 section 2).
 */
export function hmacMd5FromContext(context: Uint8Array, message: Uint8Array): Buffer {
  if (context.length !== CRAM_MD5_CONTEXT_LENGTH) {
    throw new RangeError(`a CRAM-MD5 context is ${CRAM_MD5_CONTEXT_LENGTH} bytes, got ${context.length}`);
  }
  const inner = md5Finish(md5StateFrom(context.subarray(16, 32)), 64, message);
  return md5Finish(md5StateFrom(context.subarray(0, 16)), 64, inner);
}
