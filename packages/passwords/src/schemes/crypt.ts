/**
 * The crypt(3) schemes: CRYPT, SHA256-CRYPT, SHA512-CRYPT, BLF-CRYPT, DES-CRYPT, MD5-CRYPT and MD5
 * (Dovecot's `password-scheme-crypt.c`, `md5_verify`, `md5_crypt_verify`). All verify any crypt(3)
 * family by its `$id$` prefix like crypt(3) does, except MD5-CRYPT (only `$1$`) and MD5 (`$1$` or a
 * PLAIN-MD5 digest). Computation runs off the event loop ({@link computeCrypt}); DES-CRYPT and the
 * methods this package has no code of its own for need the system's crypt(3) (pd_crypt addon).
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { MD5_CRYPT_MAGIC } from '../algorithms/md5-crypt.js';
import { SHA_CRYPT_ROUNDS_DEFAULT, SHA_CRYPT_ROUNDS_MAX, SHA_CRYPT_ROUNDS_MIN, SHA_CRYPT_SALT_MAX } from '../algorithms/sha-crypt.js';
import { computeCrypt, computeSystemCrypt } from '../compute-crypt.js';
import { equalBytes } from '../constant-time.js';
import { cryptSalt } from '../crypt-salt.js';
import { PasswordSchemeError } from '../password-scheme-error.js';
import { decodeBase64, decodeHex } from '../raw-encoding.js';
import type { GenerateParams, PasswordScheme } from '../scheme.js';
import { isUtf8RoundTrip, verifyCrypt } from './crypt-family.js';

/** BLF-CRYPT cost exponent bounds and default (Dovecot's `CRYPT_BLF_ROUNDS_*`). */
export const BLF_ROUNDS = { min: 4, max: 31, default: 5 } as const;

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

async function generateShaCrypt(id: '5' | '6', password: Buffer, params: GenerateParams): Promise<Buffer> {
  const rounds = params.rounds ? clamp(params.rounds, SHA_CRYPT_ROUNDS_MIN, SHA_CRYPT_ROUNDS_MAX) : SHA_CRYPT_ROUNDS_DEFAULT;
  // Dovecot leaves out "rounds=" for the default, so its output and ours look alike.
  const setting = `$${id}$${rounds === SHA_CRYPT_ROUNDS_DEFAULT ? '' : `rounds=${rounds}$`}${cryptSalt(SHA_CRYPT_SALT_MAX)}`;
  return Buffer.from(await computeCrypt({ algorithm: 'sha-crypt', password, setting }), 'latin1');
}

async function generateBcrypt(name: string, password: Buffer, params: GenerateParams): Promise<Buffer> {
  if (!isUtf8RoundTrip(password)) throw new PasswordSchemeError(name, 'bcrypt can only hash passwords that are valid UTF-8');
  const rounds = params.rounds ? clamp(params.rounds, BLF_ROUNDS.min, BLF_ROUNDS.max) : BLF_ROUNDS.default;
  // Same algorithm under every minor letter; Dovecot 2.3 writes $2y$ (its crypt_blowfish), so do we.
  const setting = bcrypt.genSaltSync(rounds).replace(/^\$2[ab]\$/, '$2y$');
  return Buffer.from(await computeCrypt({ algorithm: 'bcrypt', password, setting }), 'latin1');
}

async function generateMd5Crypt(password: Buffer): Promise<Buffer> {
  const setting = `${MD5_CRYPT_MAGIC}${cryptSalt(8)}`;
  return Buffer.from(await computeCrypt({ algorithm: 'md5-crypt', password, setting }), 'latin1');
}

/** DES-CRYPT: `crypt(3)` with a random 2-character salt (Dovecot's `crypt_generate_des`). */
async function generateDesCrypt(password: Buffer): Promise<Buffer> {
  if (password.includes(0)) throw new PasswordSchemeError('DES-CRYPT', 'cannot hash a password holding a NUL byte');
  const computed = await computeSystemCrypt(password, cryptSalt(2));
  if (computed === undefined) throw new PasswordSchemeError('DES-CRYPT', 'needs the system crypt(3) (the pd_crypt addon is not built)');
  if (computed === null) throw new PasswordSchemeError('DES-CRYPT', 'the system crypt(3) refused the password (512 bytes or more?)');
  return Buffer.from(computed, 'latin1');
}

function cryptScheme(name: string, generate: (password: Buffer, params: GenerateParams) => Promise<Buffer>): PasswordScheme {
  return {
    name,
    defaultEncoding: 'none',
    rawLength: 0,
    reversible: false,
    verify: (password, raw, context) => verifyCrypt(password, raw.toString('utf8'), context),
    generate,
  };
}

/** SHA256-CRYPT: `$5$[rounds=N$]salt$hash`. */
export const sha256CryptScheme = cryptScheme('SHA256-CRYPT', (p, params) => generateShaCrypt('5', p, params));
/** SHA512-CRYPT: `$6$[rounds=N$]salt$hash`. */
export const sha512CryptScheme = cryptScheme('SHA512-CRYPT', (p, params) => generateShaCrypt('6', p, params));
/** BLF-CRYPT: bcrypt `$2y$NN$...` (also reads `$2a$`, `$2b$`). */
export const blfCryptScheme = cryptScheme('BLF-CRYPT', (p, params) => generateBcrypt('BLF-CRYPT', p, params));
/**
 * DES-CRYPT: traditional DES crypt(3), 13 characters, only the first 8 password bytes count (verifies
 * any crypt(3) value, as Dovecot's does). Needs the system's crypt(3).
 */
export const desCryptScheme = cryptScheme('DES-CRYPT', (p) => generateDesCrypt(p));
/** CRYPT: whatever crypt(3) family the value names; generates bcrypt like Dovecot 2.3's CRYPT does. */
export const cryptAnyScheme = cryptScheme('CRYPT', (p, params) => generateBcrypt('CRYPT', p, params));

/** MD5-CRYPT: `$1$salt$hash` (8-character salt, 1000 fixed rounds). */
export const md5CryptScheme: PasswordScheme = {
  name: 'MD5-CRYPT',
  defaultEncoding: 'none',
  rawLength: 0,
  reversible: false,
  verify: (password, raw, context) => verifyCrypt(password, raw.toString('utf8'), context, 'md5-crypt'),
  generate: (password) => generateMd5Crypt(password),
};

/**
 * MD5: Dovecot's historical name. Verifies an MD5-crypt string, or else a PLAIN-MD5 digest (hex or
 * base64, told apart by length); generates MD5-crypt.
 */
export const md5Scheme: PasswordScheme = {
  name: 'MD5',
  defaultEncoding: 'none',
  rawLength: 0,
  reversible: false,
  async verify(password, raw, context) {
    const text = raw.toString('utf8');
    if (text.startsWith(MD5_CRYPT_MAGIC)) return verifyCrypt(password, text, context, 'md5-crypt');
    const digest = text.length === 32 ? (decodeHex(text) ?? decodeBase64(text)) : decodeBase64(text);
    if (digest?.length !== 16) return context.fail('value is neither MD5-crypt nor a PLAIN-MD5 digest');
    return equalBytes(createHash('md5').update(password).digest(), digest);
  },
  generate: (password) => generateMd5Crypt(password),
};
