/**
 * What the SCRAM-SHA-1 / SCRAM-SHA-256 mechanisms (RFC 5802, RFC 7677) need from a stored password.
 */
import { randomBytes } from 'node:crypto';
import { parseScramValue, SCRAM_ITERATIONS, SCRAM_SALT_LENGTH, scramKeys, type ScramCredentials } from '../schemes/scram.js';
import { DEFAULT_PASS_SCHEME, rawPasswordOf, resolveStoredPassword } from '../stored-password.js';
import { verifyContext } from '../verify-password.js';
import type { SaslLookupOptions } from './sasl-lookup-options.js';

export type { ScramCredentials };

/** The SCRAM hash, spelled as in the mechanism name. */
export type ScramHash = 'SHA-1' | 'SHA-256';

/** Options of {@link scramCredentials}. */
export interface ScramCredentialsOptions extends SaslLookupOptions {
  /** Iterations when deriving from a plaintext (default and minimum 4096, RFC 5802 section 5.1). */
  readonly iterations?: number;
}

/**
 * Salt, iteration count, StoredKey and ServerKey for `hash`: parsed from a stored `{SCRAM-SHA-1}` /
 * `{SCRAM-SHA-256}` value of the same hash, or derived from a reversible plaintext with a fresh random
 * salt. `null` when the stored value cannot serve this mechanism (another hash, any one-way scheme).
 * Throws `PasswordSchemeError` on bad data.
 */
export async function scramCredentials(
  stored: string,
  hash: ScramHash,
  options: ScramCredentialsOptions = {},
): Promise<ScramCredentials | null> {
  if (hash !== 'SHA-1' && hash !== 'SHA-256') throw new TypeError(`SCRAM hash must be "SHA-1" or "SHA-256", got ${String(hash)}`);
  const iterations = options.iterations ?? SCRAM_ITERATIONS.default;
  if (!Number.isSafeInteger(iterations) || iterations < SCRAM_ITERATIONS.min || iterations > SCRAM_ITERATIONS.max) {
    throw new RangeError(`SCRAM iterations must be an integer ${SCRAM_ITERATIONS.min}..${SCRAM_ITERATIONS.max}, got ${iterations}`);
  }
  const algorithm = hash === 'SHA-1' ? 'sha1' : 'sha256';
  const parsed = resolveStoredPassword(stored, options.defaultScheme ?? DEFAULT_PASS_SCHEME, options.user);
  const context = verifyContext(parsed.scheme, options.user);
  if (parsed.scheme === `SCRAM-${hash}`) {
    return parseScramValue(algorithm, rawPasswordOf(parsed, context.fail).toString('utf8'), context);
  }
  if (!parsed.implementation.reversible) return null;
  const plaintext = rawPasswordOf(parsed, context.fail);
  return scramKeys(algorithm, plaintext, randomBytes(SCRAM_SALT_LENGTH), iterations);
}
