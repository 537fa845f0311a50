/**
 * PBKDF2 (RFC 8018 section 5.2) with HMAC-SHA1 and a 20-byte key, in Dovecot's own format
 * `$1$<salt>$<rounds>$<40 hex digits>`; the salt is used as the text it is (`password-scheme-pbkdf2.c`).
 * `crypto.pbkdf2` runs on libuv's thread pool.
 */
import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { equalBytes } from '../constant-time.js';
import { cryptSalt } from '../crypt-salt.js';
import { decodeHex } from '../raw-encoding.js';
import type { PasswordScheme } from '../scheme.js';

const pbkdf2Async = promisify(pbkdf2);

/** Rounds when none are asked for (Dovecot's `PBKDF2_ROUNDS_DEFAULT`). */
export const PBKDF2_ROUNDS_DEFAULT = 5000;
/** Salt characters Dovecot generates. */
export const PBKDF2_SALT_LENGTH = 16;
const KEY_LENGTH = 20;

/** PBKDF2 scheme. */
export const pbkdf2Scheme: PasswordScheme = {
  name: 'PBKDF2',
  defaultEncoding: 'none',
  rawLength: 0,
  reversible: false,
  async verify(password, raw, context) {
    const text = raw.toString('utf8');
    if (!text.startsWith('$1$')) context.fail('value does not start with "$1$"');
    const fields = text.slice(3).split('$');
    if (fields.length !== 3 || !/^\d{1,10}$/.test(fields[1]!)) context.fail('value is not "$1$salt$rounds$hash"');
    const [salt, roundsText, hex] = fields as [string, string, string];
    const rounds = Number(roundsText);
    if (rounds < 1 || rounds > 0xffffffff) context.fail(`rounds out of range (${roundsText})`);
    const expected = hex.length === KEY_LENGTH * 2 ? decodeHex(hex) : undefined;
    if (!expected) return context.fail('hash is not 160 bits of hex');
    const key = await pbkdf2Async(password, Buffer.from(salt, 'utf8'), rounds, KEY_LENGTH, 'sha1');
    return equalBytes(key, expected);
  },
  async generate(password, params) {
    const rounds = params.rounds || PBKDF2_ROUNDS_DEFAULT;
    const salt = cryptSalt(PBKDF2_SALT_LENGTH);
    const key = await pbkdf2Async(password, Buffer.from(salt, 'latin1'), rounds, KEY_LENGTH, 'sha1');
    return Buffer.from(`$1$${salt}$${rounds}$${key.toString('hex')}`, 'latin1');
  },
};
