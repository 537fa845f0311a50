/**
 * Cleartext schemes: PLAIN, CLEAR, CLEARTEXT (the same thing under three names) and PLAIN-TRUNC
 * (Dovecot's `plain_verify` / `plain_trunc_verify`).
 */
import { equalBytes } from '../constant-time.js';
import type { PasswordScheme } from '../scheme.js';

/** A cleartext scheme under `name`; reversible, so every SASL mechanism can use it. */
export function plainScheme(name: string): PasswordScheme {
  return {
    name,
    defaultEncoding: 'none',
    rawLength: 0,
    reversible: true,
    verify: async (password, raw) => equalBytes(password, raw),
    generate: async (password) => Buffer.from(password),
  };
}

/**
 * PLAIN-TRUNC: `<length>-<password>`, a password stored cut to `length` bytes (vpopmail imports).
 * A longer given password matches when its first `length` bytes do. Not reversible: the stored
 * text may be only a prefix. Generation writes the full password with its length, so it verifies
 * here (Dovecot itself writes no length prefix, which its own verifier then rejects).
 */
export const plainTruncScheme: PasswordScheme = {
  name: 'PLAIN-TRUNC',
  defaultEncoding: 'none',
  rawLength: 0,
  reversible: false,
  async verify(password, raw, context) {
    const dash = raw.indexOf(0x2d);
    const digits = dash < 0 ? '' : raw.subarray(0, dash).toString('latin1');
    if (!/^\d{1,9}$/.test(digits)) context.fail('missing "<length>-" prefix');
    const truncLength = Number(digits);
    const stored = raw.subarray(dash + 1);
    if (stored.length === truncLength && password.length >= truncLength) {
      return equalBytes(stored, password.subarray(0, truncLength));
    }
    return equalBytes(stored, password);
  },
  generate: async (password) => Buffer.concat([Buffer.from(`${password.length}-`, 'latin1'), password]),
};
