/**
 * Checking a password against its stored `{SCHEME}` value (Dovecot's `password_verify`).
 */
import { MAX_PASSWORD_BYTES, passwordBytes } from './password-bytes.js';
import { PasswordSchemeError } from './password-scheme-error.js';
import type { VerifyContext } from './scheme.js';
import { DEFAULT_PASS_SCHEME, rawPasswordOf, resolveStoredPassword } from './stored-password.js';

/** Options of {@link verifyPassword}. */
export interface VerifyPasswordOptions {
  /** Scheme for values without `{SCHEME}` (default {@link DEFAULT_PASS_SCHEME}, `CRYPT`). */
  readonly defaultScheme?: string;
  /** Whose password this is: named in errors, and needed by DIGEST-MD5. */
  readonly user?: string;
}

/** The context schemes get: their error factory bound to the scheme and user. */
export function verifyContext(scheme: string, user: string | undefined): VerifyContext {
  return {
    user,
    fail(reason: string): never {
      throw new PasswordSchemeError(scheme, reason, user);
    },
  };
}

/**
 * Whether `password` matches `stored`. Resolves `false` for a wrong password (and for passwords longer
 * than {@link MAX_PASSWORD_BYTES}); rejects with {@link PasswordSchemeError} when `stored` names an
 * unknown scheme or is malformed, so a broken row is never a success and never looks like a mere
 * mismatch. Expensive schemes run off the event loop. Comparisons are constant-time.
 */
export async function verifyPassword(
  stored: string,
  password: string | Uint8Array,
  options: VerifyPasswordOptions = {},
): Promise<boolean> {
  const { user } = options;
  const parsed = resolveStoredPassword(stored, options.defaultScheme ?? DEFAULT_PASS_SCHEME, user);
  const context = verifyContext(parsed.scheme, user);
  const raw = rawPasswordOf(parsed, context.fail);
  const bytes = passwordBytes(password);
  if (bytes.length > MAX_PASSWORD_BYTES) return false;
  return parsed.implementation.verify(bytes, raw, context);
}
