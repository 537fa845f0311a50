/**
 * SCRAM-SHA-1 and SCRAM-SHA-256 stored keys (RFC 5802 section 3, RFC 7677), in Dovecot's format
 * `<iterations>,<salt b64>,<StoredKey b64>,<ServerKey b64>` (`password-scheme-scram.c`). Like Dovecot,
 * the password is used as given, without SASLprep (RFC 4013).
 */
import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { equalBytes } from '../constant-time.js';
import { decodeBase64 } from '../raw-encoding.js';
import type { PasswordScheme, VerifyContext } from '../scheme.js';

const pbkdf2Async = promisify(pbkdf2);

/** The SCRAM hash functions. */
export type ScramAlgorithm = 'sha1' | 'sha256';

/** Iteration bounds and default (RFC 5802 section 5.1: at least 4096; Dovecot's `SCRAM_*_ITERATE_COUNT`). */
export const SCRAM_ITERATIONS = { min: 4096, max: 2_147_483_647, default: 4096 } as const;
/** Salt bytes generated. */
export const SCRAM_SALT_LENGTH = 16;

const DIGEST_LENGTH: Record<ScramAlgorithm, number> = { sha1: 20, sha256: 32 };

/** Everything a SCRAM server needs about one password (RFC 5802 section 3). */
export interface ScramCredentials {
  readonly salt: Buffer;
  readonly iterations: number;
  /** H(ClientKey). */
  readonly storedKey: Buffer;
  /** HMAC(SaltedPassword, "Server Key"). */
  readonly serverKey: Buffer;
}

/** Derives StoredKey and ServerKey from the password: SaltedPassword = Hi(password, salt, i). */
export async function scramKeys(
  algorithm: ScramAlgorithm,
  password: Buffer,
  salt: Buffer,
  iterations: number,
): Promise<ScramCredentials> {
  const salted = await pbkdf2Async(password, salt, iterations, DIGEST_LENGTH[algorithm], algorithm);
  const clientKey = createHmac(algorithm, salted).update('Client Key').digest();
  const storedKey = createHash(algorithm).update(clientKey).digest();
  const serverKey = createHmac(algorithm, salted).update('Server Key').digest();
  salted.fill(0);
  clientKey.fill(0);
  return { salt, iterations, storedKey, serverKey };
}

/** Parses the stored value; `context.fail` on any malformed field (Dovecot's `scram_scheme_parse`). */
export function parseScramValue(algorithm: ScramAlgorithm, value: string, context: VerifyContext): ScramCredentials {
  const fields = value.split(',');
  if (fields.length !== 4) context.fail('value is not "iterations,salt,StoredKey,ServerKey"');
  const [iterText, saltText, storedText, serverText] = fields as [string, string, string, string];
  const iterations = /^\d{1,10}$/.test(iterText) ? Number(iterText) : NaN;
  if (!(iterations >= SCRAM_ITERATIONS.min && iterations <= SCRAM_ITERATIONS.max)) {
    context.fail(`iteration count must be ${SCRAM_ITERATIONS.min}..${SCRAM_ITERATIONS.max}`);
  }
  const salt = decodeBase64(saltText);
  if (!salt || salt.length === 0) context.fail('salt is not base64');
  const length = DIGEST_LENGTH[algorithm];
  const storedKey = decodeBase64(storedText);
  if (storedKey?.length !== length) context.fail('StoredKey is not a base64 digest');
  const serverKey = decodeBase64(serverText);
  if (serverKey?.length !== length) context.fail('ServerKey is not a base64 digest');
  return { salt, iterations, storedKey, serverKey };
}

/** Formats credentials the way Dovecot stores them. */
export function formatScramValue(credentials: ScramCredentials): string {
  const { iterations, salt, storedKey, serverKey } = credentials;
  return `${iterations},${salt.toString('base64')},${storedKey.toString('base64')},${serverKey.toString('base64')}`;
}

/** The SCRAM scheme called `name` over `algorithm`. */
export function scramScheme(name: string, algorithm: ScramAlgorithm): PasswordScheme {
  return {
    name,
    defaultEncoding: 'none',
    rawLength: 0,
    reversible: false,
    async verify(password, raw, context) {
      const stored = parseScramValue(algorithm, raw.toString('utf8'), context);
      const computed = await scramKeys(algorithm, password, stored.salt, stored.iterations);
      return equalBytes(computed.storedKey, stored.storedKey);
    },
    async generate(password, params) {
      const iterations = params.rounds
        ? Math.min(Math.max(params.rounds, SCRAM_ITERATIONS.min), SCRAM_ITERATIONS.max)
        : SCRAM_ITERATIONS.default;
      const keys = await scramKeys(algorithm, password, randomBytes(SCRAM_SALT_LENGTH), iterations);
      return Buffer.from(formatScramValue(keys), 'latin1');
    },
  };
}
