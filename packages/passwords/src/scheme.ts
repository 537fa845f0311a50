/**
 * What one password scheme provides: the shape of an entry in the scheme registry (Dovecot's
 * `struct password_scheme`).
 */
import type { PasswordEncoding } from './raw-encoding.js';

/** Parameters for generating a new hash (Dovecot's `struct password_generate_params`). */
export interface GenerateParams {
  /**
   * Cost: rounds for SHA*-CRYPT (1000..999999999, default 5000) and PBKDF2 (default 5000), the cost
   * exponent for BLF-CRYPT (4..31, default 5), iterations for SCRAM-* (at least 4096, the default),
   * time cost for ARGON2I (at least 3, default 4) and ARGON2ID (default 2). 0 or absent means default.
   */
  readonly rounds?: number;
  /** The user name, needed by DIGEST-MD5 (`user@realm`). */
  readonly user?: string;
}

/** What a scheme knows while verifying: for its error messages and for user-bound schemes. */
export interface VerifyContext {
  /** The user, when the caller passed one (DIGEST-MD5 needs it; errors name it). */
  readonly user?: string;
  /** Throws the {@link PasswordSchemeError} for this scheme and user with `reason`. */
  fail(reason: string): never;
}

/** One entry of the registry. */
export interface PasswordScheme {
  /** The canonical upper-case name, as written between `{}`. */
  readonly name: string;
  /** How the raw bytes are written when the stored value has no `.HEX`/`.B64` suffix. */
  readonly defaultEncoding: PasswordEncoding;
  /**
   * Exact raw length in bytes, or 0 when it varies. A fixed length lets an unsuffixed value be
   * recognised as hex (twice as long) or base64 (anything else), as Dovecot does.
   */
  readonly rawLength: number;
  /** True when the stored value is the plaintext itself (PLAIN, CLEAR, CLEARTEXT). */
  readonly reversible: boolean;
  /**
   * Whether `password` matches the decoded stored bytes. `false` for a wrong password; throws
   * through `context.fail` when the stored bytes are malformed.
   */
  verify(password: Buffer, raw: Buffer, context: VerifyContext): Promise<boolean>;
  /** The raw bytes to store for `password` (encoded afterwards by the caller). */
  generate(password: Buffer, params: GenerateParams): Promise<Buffer>;
}
