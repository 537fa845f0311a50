/**
 * The plaintext behind a reversible stored value, for mechanisms that need it (APOP, RFC 1939
 * section 7; and as the source for CRAM-MD5 and SCRAM credentials).
 */
import { rawPasswordOf, resolveStoredPassword, DEFAULT_PASS_SCHEME } from '../stored-password.js';
import { verifyContext } from '../verify-password.js';
import type { SaslLookupOptions } from './sasl-lookup-options.js';

/**
 * The plain password bytes when `stored` is reversible (`{PLAIN}`, `{CLEAR}`, `{CLEARTEXT}`, with any
 * `.HEX`/`.B64` suffix decoded), otherwise `null`. Throws `PasswordSchemeError` when `stored` names an
 * unknown scheme or its value does not decode.
 */
export function plaintextFor(stored: string, options: SaslLookupOptions = {}): Buffer | null {
  const parsed = resolveStoredPassword(stored, options.defaultScheme ?? DEFAULT_PASS_SCHEME, options.user);
  if (!parsed.implementation.reversible) return null;
  return rawPasswordOf(parsed, verifyContext(parsed.scheme, options.user).fail);
}
