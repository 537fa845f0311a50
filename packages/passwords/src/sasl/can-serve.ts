/**
 * Which SASL mechanisms a stored password can back (Dovecot's per-mechanism credential schemes:
 * PLAIN/LOGIN verify any scheme, the challenge-response ones need specific stored credentials).
 */
import { PasswordSchemeError } from '../password-scheme-error.js';
import { DEFAULT_PASS_SCHEME, resolveStoredPassword } from '../stored-password.js';
import type { SaslLookupOptions } from './sasl-lookup-options.js';

/** Mechanisms {@link canServe} knows. `-PLUS` (channel binding) variants need what their base needs. */
export type SaslMechanism =
  | 'PLAIN'
  | 'LOGIN'
  | 'CRAM-MD5'
  | 'DIGEST-MD5'
  | 'APOP'
  | 'SCRAM-SHA-1'
  | 'SCRAM-SHA-1-PLUS'
  | 'SCRAM-SHA-256'
  | 'SCRAM-SHA-256-PLUS';

/**
 * Whether `mechanism` (case-insensitive) can authenticate against `stored`:
 * - PLAIN, LOGIN (RFC 4616; the client sends the password): any known scheme;
 * - APOP (RFC 1939 section 7): only a reversible plaintext (PLAIN, CLEAR, CLEARTEXT);
 * - CRAM-MD5 (RFC 2195): a CRAM-MD5/HMAC-MD5 context, or a plaintext;
 * - DIGEST-MD5 (RFC 2831): a DIGEST-MD5 secret, or a plaintext;
 * - SCRAM-SHA-1[-PLUS], SCRAM-SHA-256[-PLUS] (RFC 5802, RFC 7677): a SCRAM value of that hash, or a plaintext.
 *
 * `false` for mechanisms it does not know and for stored values whose scheme is unknown (verifying
 * those would throw). Only the scheme is looked at: a malformed value is reported when it is used.
 */
export function canServe(mechanism: SaslMechanism | string, stored: string, options: SaslLookupOptions = {}): boolean {
  if (typeof mechanism !== 'string') return false;
  let scheme: string;
  let reversible: boolean;
  try {
    const parsed = resolveStoredPassword(stored, options.defaultScheme ?? DEFAULT_PASS_SCHEME, options.user);
    scheme = parsed.scheme;
    reversible = parsed.implementation.reversible;
  } catch (e) {
    if (e instanceof PasswordSchemeError) return false;
    throw e;
  }
  switch (mechanism.toUpperCase().replace(/-PLUS$/, '')) {
    case 'PLAIN':
    case 'LOGIN':
      return true;
    case 'APOP':
      return reversible;
    case 'CRAM-MD5':
      return reversible || scheme === 'CRAM-MD5' || scheme === 'HMAC-MD5';
    case 'DIGEST-MD5':
      return reversible || scheme === 'DIGEST-MD5';
    case 'SCRAM-SHA-1':
      return reversible || scheme === 'SCRAM-SHA-1';
    case 'SCRAM-SHA-256':
      return reversible || scheme === 'SCRAM-SHA-256';
    default:
      return false;
  }
}
