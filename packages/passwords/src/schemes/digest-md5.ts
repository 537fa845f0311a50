/**
 * DIGEST-MD5: MD5 of `user:realm:password` (RFC 2831 section 2.1.2.1's A1 secret), hex by default.
 * The user name is split at its last `@` into user and realm, as Dovecot does; the scheme cannot be
 * used without the user name.
 */
import { createHash } from 'node:crypto';
import { equalBytes } from '../constant-time.js';
import { PasswordSchemeError } from '../password-scheme-error.js';
import type { PasswordScheme } from '../scheme.js';

function secret(user: string, password: Buffer): Buffer {
  const at = user.lastIndexOf('@');
  const name = at < 0 ? user : user.slice(0, at);
  const realm = at < 0 ? '' : user.slice(at + 1);
  return createHash('md5').update(`${name}:${realm}:`, 'utf8').update(password).digest();
}

/** DIGEST-MD5 scheme. */
export const digestMd5Scheme: PasswordScheme = {
  name: 'DIGEST-MD5',
  defaultEncoding: 'hex',
  rawLength: 16,
  reversible: false,
  async verify(password, raw, context) {
    if (context.user === undefined) return context.fail('needs the user name (user@realm) to verify');
    return equalBytes(secret(context.user, password), raw);
  },
  async generate(password, params) {
    if (params.user === undefined) throw new PasswordSchemeError('DIGEST-MD5', 'needs the user name (user@realm) to generate');
    return secret(params.user, password);
  },
};
