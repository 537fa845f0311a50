/**
 * What the RFC 2195 CRAM-MD5 mechanism needs from a stored password: the HMAC-MD5 context.
 */
import { CRAM_MD5_CONTEXT_LENGTH, hmacMd5Context, hmacMd5FromContext } from '../algorithms/hmac-md5-context.js';
import { equalBytes } from '../constant-time.js';
import { decodeHex } from '../raw-encoding.js';
import { DEFAULT_PASS_SCHEME, rawPasswordOf, resolveStoredPassword } from '../stored-password.js';
import { verifyContext } from '../verify-password.js';
import type { SaslLookupOptions } from './sasl-lookup-options.js';

export { CRAM_MD5_CONTEXT_LENGTH };

/**
 * The 32-byte HMAC-MD5 context (outer then inner MD5 state, Dovecot's layout) for `stored`: the stored
 * `{CRAM-MD5}`/`{HMAC-MD5}` value itself, or computed from a reversible plaintext. `null` when the
 * scheme cannot serve CRAM-MD5 (any one-way hash). Throws `PasswordSchemeError` on bad data.
 */
export function cramMd5Secret(stored: string, options: SaslLookupOptions = {}): Buffer | null {
  const parsed = resolveStoredPassword(stored, options.defaultScheme ?? DEFAULT_PASS_SCHEME, options.user);
  const isContext = parsed.scheme === 'CRAM-MD5' || parsed.scheme === 'HMAC-MD5';
  if (!isContext && !parsed.implementation.reversible) return null;
  const raw = rawPasswordOf(parsed, verifyContext(parsed.scheme, options.user).fail);
  return isContext ? raw : hmacMd5Context(raw);
}

/** HMAC-MD5(password, challenge) computed from a context: the digest the client must send. */
export function cramMd5Digest(context: Uint8Array, challenge: string | Uint8Array): Buffer {
  const message = typeof challenge === 'string' ? Buffer.from(challenge, 'utf8') : challenge;
  return hmacMd5FromContext(context, message);
}

/**
 * Checks a client's CRAM-MD5 answer (RFC 2195 section 2: the digest as 32 hex digits, either case)
 * against the challenge it was given, in constant time. `false` for any malformed answer.
 */
export function verifyCramMd5(context: Uint8Array, challenge: string | Uint8Array, responseHex: string): boolean {
  const expected = cramMd5Digest(context, challenge);
  const given = typeof responseHex === 'string' && responseHex.length === 32 ? decodeHex(responseHex) : undefined;
  return given !== undefined && equalBytes(expected, given);
}
