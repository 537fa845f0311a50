/**
 * ARGON2I and ARGON2ID (RFC 9106), stored as PHC strings `$argon2id$v=19$m=..,t=..,p=..$salt$hash`
 * the way libsodium's `crypto_pwhash_str` writes them for Dovecot. The native `argon2` package hashes
 * on libuv's thread pool, off the event loop.
 */
import argon2 from 'argon2';
import { PasswordSchemeError } from '../password-scheme-error.js';
import type { GenerateParams, PasswordScheme } from '../scheme.js';

/** Which Argon2 variant. */
export type Argon2Variant = 'argon2i' | 'argon2id';

/** PHC string as libsodium and node-argon2 write it (base64 without padding). */
const PHC = /^\$argon2(?:i|id)\$(?:v=\d{1,3}\$)?m=\d{1,10},t=\d{1,10},p=\d{1,3}\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/;

/**
 * Cost from `rounds` as Dovecot 2.3 picks it with libsodium: the time cost is `rounds` (ARGON2I:
 * default 4, at least 3; ARGON2ID: default 2, raised to 3 as Dovecot's output shows) and the memory is
 * libsodium's INTERACTIVE, MODERATE or SENSITIVE limit for that many rounds. Memory is in KiB.
 */
export function argon2Cost(variant: Argon2Variant, params: GenerateParams): { timeCost: number; memoryCost: number } {
  if (variant === 'argon2i') {
    const rounds = params.rounds || 4;
    if (rounds < 3) throw new PasswordSchemeError('ARGON2I', `rounds must be at least 3, got ${rounds}`);
    const memoryCost = rounds >= 8 ? 512 * 1024 : rounds >= 6 ? 128 * 1024 : 32 * 1024;
    return { timeCost: rounds, memoryCost };
  }
  const rounds = params.rounds || 2;
  const memoryCost = rounds >= 4 ? 1024 * 1024 : rounds >= 3 ? 256 * 1024 : 64 * 1024;
  return { timeCost: Math.max(rounds, 3), memoryCost };
}

/**
 * node-argon2 writes the parameters as `m=..,p=..,t=..`; libsodium (and so Dovecot) only reads the
 * reference order `m=..,t=..,p=..`, so rewrite them in that order.
 */
export function libsodiumOrder(encoded: string): string {
  return encoded.replace(/\$((?:[mpt]=\d+,?){3})\$/, (whole, list: string) => {
    const params = new Map(list.split(',').map((kv) => kv.split('=') as [string, string]));
    const [m, t, p] = [params.get('m'), params.get('t'), params.get('p')];
    return m && t && p ? `$m=${m},t=${t},p=${p}$` : whole;
  });
}

/** The Argon2 scheme called `name` generating `variant`. Verification accepts either variant's string. */
export function argon2Scheme(name: string, variant: Argon2Variant): PasswordScheme {
  return {
    name,
    defaultEncoding: 'none',
    rawLength: 0,
    reversible: false,
    async verify(password, raw, context) {
      const value = raw.toString('utf8');
      if (!PHC.test(value)) context.fail('malformed Argon2 PHC string');
      try {
        return await argon2.verify(value, password);
      } catch (e) {
        return context.fail(`Argon2 verification failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    async generate(password, params) {
      const { timeCost, memoryCost } = argon2Cost(variant, params);
      const type = variant === 'argon2i' ? argon2.argon2i : argon2.argon2id;
      const encoded = await argon2.hash(password, { type, timeCost, memoryCost, parallelism: 1, hashLength: 32 });
      return Buffer.from(libsodiumOrder(encoded), 'latin1');
    },
  };
}
