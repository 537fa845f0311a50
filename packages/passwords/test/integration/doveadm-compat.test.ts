/**
 * Compatibility with Dovecot itself: every scheme hashed by `doveadm pw -s` verifies here, and every
 * value {@link hashPassword} writes passes `doveadm pw -t`. Needs /usr/bin/doveadm (dovecot-core);
 * skipped with a message when it is missing, except under CI=true where that is a failure.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'chai';
import {
  closePasswordWorkers,
  cramMd5Secret,
  hashPassword,
  parseStoredPassword,
  scramCredentials,
  verifyPassword,
} from '@pigeondeliver/passwords';
import { cryptAddon } from '../../dist/native-crypt.js';

const run = promisify(execFile);

const DOVEADM = '/usr/bin/doveadm';
/** DIGEST-MD5 hashes the user name in (`user@realm`); every other scheme ignores it. */
const USER = 'alice@example.org';

/** Every scheme the package promises to verify and generate like Dovecot does. */
const SCHEMES = [
  'PLAIN', 'CLEAR', 'CLEARTEXT',
  'PLAIN-MD5', 'LDAP-MD5',
  'SHA', 'SHA1', 'SHA256', 'SHA512',
  'SSHA', 'SSHA256', 'SSHA512', 'SMD5',
  'MD5-CRYPT', 'MD5', 'SHA256-CRYPT', 'SHA512-CRYPT', 'BLF-CRYPT', 'CRYPT',
  'ARGON2I', 'ARGON2ID',
  'PBKDF2',
  'CRAM-MD5', 'HMAC-MD5',
  'SCRAM-SHA-1', 'SCRAM-SHA-256',
  'DIGEST-MD5',
] as const;

/** Schemes written with an explicit encoding suffix (Dovecot's `.HEX`, `.B64`, `.BASE64`). */
const SUFFIXED = [
  'SHA256.HEX', 'SHA.HEX', 'SHA512.B64', 'PLAIN-MD5.B64', 'LDAP-MD5.HEX', 'SSHA.HEX', 'SSHA512.BASE64',
  'SMD5.HEX', 'CRAM-MD5.B64', 'PLAIN.HEX', 'PLAIN.B64',
] as const;

/** Cost variants: `doveadm pw -r` for the schemes whose cost it takes. */
const ROUNDS: readonly (readonly [string, number])[] = [
  ['SHA512-CRYPT', 1000],
  ['SHA512-CRYPT', 7000],
  ['SHA256-CRYPT', 12000],
  ['BLF-CRYPT', 4],
  ['BLF-CRYPT', 7],
  ['PBKDF2', 1],
  ['PBKDF2', 1234],
  ['ARGON2I', 3],
];

const PASSWORDS = ['secret', 'pässwörd ✓ 密码', 'with space and "quotes" $1$', 'x'.repeat(100)];

function doveadmPresent(): boolean {
  return existsSync(DOVEADM);
}

/** `doveadm pw -s SCHEME -p PASSWORD [-r ROUNDS]`: the stored value Dovecot writes. */
async function doveadmHash(scheme: string, password: string, rounds?: number): Promise<string> {
  const args = ['pw', '-s', scheme, '-p', password, '-u', USER];
  if (rounds !== undefined) args.push('-r', String(rounds));
  const { stdout } = await run(DOVEADM, args);
  return stdout.trim();
}

/** `doveadm pw -t HASH -p PASSWORD`: whether Dovecot accepts `password` for `hash` (exit 0). */
async function doveadmAccepts(hash: string, password: string): Promise<boolean> {
  try {
    const { stdout } = await run(DOVEADM, ['pw', '-t', hash, '-p', password, '-u', USER]);
    return stdout.includes('(verified)');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && code !== 0) return false;
    throw e;
  }
}

describe('passwords Dovecot compatibility (doveadm pw) @integration', function () {
  before(function () {
    if (doveadmPresent()) return;
    const message = `${DOVEADM} not found (apt-get install dovecot-core)`;
    if (process.env.CI === 'true') throw new Error(message);
    console.log(`      skipped: ${message}`);
    this.skip();
  });

  after(async () => {
    await closePasswordWorkers();
  });

  describe('values doveadm generates verify here', () => {
    for (const scheme of [...SCHEMES, ...SUFFIXED]) {
      it(`${scheme}`, async () => {
        for (const password of PASSWORDS.slice(0, 2)) {
          const hash = await doveadmHash(scheme, password);
          expect(hash.startsWith(`{${scheme}}`), hash.slice(0, 20)).to.equal(true);
          expect(await verifyPassword(hash, password, { user: USER }), `${scheme} accepts ${password}`).to.equal(true);
          expect(await verifyPassword(hash, `${password}x`, { user: USER }), `${scheme} rejects a wrong password`).to.equal(false);
          expect(await verifyPassword(hash, Buffer.from(password, 'utf8'), { user: USER })).to.equal(true);
        }
      });
    }

    it('cheap schemes with long, quoted and dollar-sign passwords', async () => {
      for (const scheme of ['PLAIN', 'SHA256', 'SSHA512', 'MD5-CRYPT', 'SHA512-CRYPT', 'BLF-CRYPT', 'PBKDF2', 'CRAM-MD5', 'SCRAM-SHA-256']) {
        for (const password of PASSWORDS.slice(2)) {
          const hash = await doveadmHash(scheme, password);
          expect(await verifyPassword(hash, password), `${scheme} accepts its password`).to.equal(true);
          // Change the first character: bcrypt ignores everything after 72 bytes.
          expect(await verifyPassword(hash, `#${password.slice(1)}`), `${scheme} rejects another one`).to.equal(false);
        }
      }
    });

    for (const [scheme, rounds] of ROUNDS) {
      it(`${scheme} with -r ${rounds}`, async () => {
        const hash = await doveadmHash(scheme, 'pässwörd', rounds);
        expect(await verifyPassword(hash, 'pässwörd')).to.equal(true);
        expect(await verifyPassword(hash, 'passwörd')).to.equal(false);
      });
    }

    it('crypt(3) values without a {SCHEME} prefix, through the default scheme', async () => {
      for (const scheme of ['SHA512-CRYPT', 'SHA256-CRYPT', 'BLF-CRYPT', 'MD5-CRYPT']) {
        const bare = (await doveadmHash(scheme, 'secret')).replace(/^\{[^}]*\}/, '');
        expect(await verifyPassword(bare, 'secret'), `${scheme} under CRYPT`).to.equal(true);
        expect(await verifyPassword(bare, 'Secret')).to.equal(false);
        expect(await verifyPassword(bare, 'secret', { defaultScheme: 'CRYPT' })).to.equal(true);
      }
      const md5 = (await doveadmHash('MD5-CRYPT', 'secret')).replace(/^\{[^}]*\}/, '');
      // Dovecot recognises "$1$salt$hash" as MD5-CRYPT whatever default_pass_scheme says.
      expect(parseStoredPassword(md5, 'PLAIN').scheme).to.equal('MD5-CRYPT');
      expect(await verifyPassword(md5, 'secret', { defaultScheme: 'PLAIN' })).to.equal(true);
      const sha = (await doveadmHash('SHA256', 'secret')).replace(/^\{[^}]*\}/, '');
      expect(await verifyPassword(sha, 'secret', { defaultScheme: 'SHA256' })).to.equal(true);
      expect(await verifyPassword('secret', 'secret', { defaultScheme: 'PLAIN' })).to.equal(true);
    });

    it('SCRAM credentials and CRAM-MD5 context read from doveadm values', async () => {
      const scram = await doveadmHash('SCRAM-SHA-256', 'pencil');
      const [iterations, salt, storedKey, serverKey] = scram.slice('{SCRAM-SHA-256}'.length).split(',');
      const creds = await scramCredentials(scram, 'SHA-256');
      expect(creds).to.not.equal(null);
      expect(creds!.iterations).to.equal(Number(iterations));
      expect(creds!.salt.toString('base64')).to.equal(salt);
      expect(creds!.storedKey.toString('base64')).to.equal(storedKey);
      expect(creds!.serverKey.toString('base64')).to.equal(serverKey);
      expect(await scramCredentials(scram, 'SHA-1')).to.equal(null);

      const cram = await doveadmHash('CRAM-MD5', 'pencil');
      expect(cramMd5Secret(cram)!.toString('hex')).to.equal(cram.slice('{CRAM-MD5}'.length));
      // The context computed from a plaintext is the one Dovecot stores.
      expect(cramMd5Secret('{PLAIN}pencil')!.toString('hex')).to.equal(cram.slice('{CRAM-MD5}'.length));
    });
  });

  describe('crypt(3) methods only the system library computes (pd_crypt addon)', () => {
    before(function () {
      if (cryptAddon()) return;
      const message = 'the pd_crypt addon is not built';
      if (process.env.CI === 'true') throw new Error(message);
      console.log(`      skipped: ${message}`);
      this.skip();
    });

    it('DES-CRYPT both ways (only the first 8 bytes count: a wrong password differs early)', async () => {
      for (const password of ['secret', 'pässwörd ✓ 密码', 'with space']) {
        const theirs = await doveadmHash('DES-CRYPT', password);
        expect(theirs).to.match(/^\{DES-CRYPT\}[./0-9A-Za-z]{13}$/);
        expect(await verifyPassword(theirs, password)).to.equal(true);
        expect(await verifyPassword(theirs, `#${password.slice(1)}`)).to.equal(false);
        const ours = await hashPassword('DES-CRYPT', password);
        expect(await doveadmAccepts(ours, password), ours).to.equal(true);
        expect(await doveadmAccepts(ours, `#${password.slice(1)}`)).to.equal(false);
        // Dovecot's CRYPT reads DES values too.
        expect(await doveadmAccepts(ours.replace('{DES-CRYPT}', '{CRYPT}'), password)).to.equal(true);
        expect(await verifyPassword(ours.replace('{DES-CRYPT}', ''), password)).to.equal(true);
      }
    });

    it('yescrypt, gost-yescrypt, scrypt and BSDi DES values verify here as under doveadm {CRYPT}', async () => {
      const addon = cryptAddon()!;
      const settings = ['$y$j9T$6rQCesYSnCpW77hOkxbR..', '$gy$j9T$Vvc94YPDZCQzzr1MLhjMz0', '$7$CU..../....8dfjdGnWGw7Ry2gjYkIc31', '_J9..Vj1N'];
      for (const setting of settings) {
        for (const password of ['secret', 'pässwörd ✓ 密码']) {
          const value = await addon.crypt(Buffer.from(password), setting);
          expect(value, setting).to.be.a('string');
          expect(await doveadmAccepts(`{CRYPT}${value}`, password), `doveadm accepts ${setting}`).to.equal(true);
          expect(await verifyPassword(`{CRYPT}${value}`, password), setting).to.equal(true);
          expect(await verifyPassword(value!, password), setting).to.equal(true);
          expect(await verifyPassword(`{CRYPT}${value}`, `#${password.slice(1)}`), setting).to.equal(false);
        }
      }
    });
  });

  describe('values hashPassword generates pass doveadm pw -t', () => {
    for (const scheme of [...SCHEMES, ...SUFFIXED]) {
      it(`${scheme}`, async () => {
        for (const password of PASSWORDS.slice(0, 2)) {
          const hash = await hashPassword(scheme, password, { user: USER });
          expect(hash.startsWith(`{${scheme}}`), hash.slice(0, 20)).to.equal(true);
          expect(await doveadmAccepts(hash, password), `doveadm accepts ${hash.slice(0, 24)}...`).to.equal(true);
          expect(await doveadmAccepts(hash, `${password}x`), 'doveadm rejects a wrong password').to.equal(false);
          expect(await verifyPassword(hash, password, { user: USER })).to.equal(true);
        }
      });
    }

    const variants: readonly (readonly [string, number, RegExp])[] = [
      ['SHA512-CRYPT', 6000, /^\{SHA512-CRYPT\}\$6\$rounds=6000\$/],
      ['SHA256-CRYPT', 1000, /^\{SHA256-CRYPT\}\$5\$rounds=1000\$/],
      ['BLF-CRYPT', 6, /^\{BLF-CRYPT\}\$2[aby]\$06\$/],
      ['PBKDF2', 2000, /^\{PBKDF2\}\$1\$[^$]+\$2000\$[0-9a-f]{40}$/],
      ['SCRAM-SHA-1', 5000, /^\{SCRAM-SHA-1\}5000,/],
      ['SCRAM-SHA-256', 4096, /^\{SCRAM-SHA-256\}4096,/],
      ['ARGON2I', 3, /^\{ARGON2I\}\$argon2i\$v=19\$m=\d+,t=3,p=1\$/],
    ];
    for (const [scheme, rounds, shape] of variants) {
      it(`${scheme} with rounds ${rounds}`, async () => {
        const hash = await hashPassword(scheme, 'pässwörd', { rounds });
        expect(hash).to.match(shape);
        expect(await doveadmAccepts(hash, 'pässwörd')).to.equal(true);
        expect(await doveadmAccepts(hash, 'passwörd')).to.equal(false);
      });
    }
  });
});
