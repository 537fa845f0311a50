import { expect } from 'chai';
import { InvalidDataError } from '@pigeondeliver/core';
import { MAX_PASSWORD_BYTES, PasswordSchemeError, passwordCryptBackend, verifyPassword } from '@pigeondeliver/passwords';
import { captureError } from '../capture-error.js';
import { DOVECOT_PASSWORD, DOVECOT_ROUNDS_VECTORS, DOVECOT_USER, DOVECOT_VECTORS } from '../dovecot-vectors.js';

const user = DOVECOT_USER;
/** DES, yescrypt and the other methods only the system's crypt(3) computes need the pd_crypt addon. */
const native = passwordCryptBackend().kind === 'native';
/** yescrypt of "pässwörd" by libxcrypt's crypt_gensalt + crypt; `doveadm pw -t {CRYPT}...` verifies it. */
const BCRYPT_2X = '$2x$05$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012';
const YESCRYPT = '$y$j9T$6rQCesYSnCpW77hOkxbR..$sE7Ia0BpPpxAiINpYu63DZaOTgpn5eLo32X/S5uFPD4';

async function schemeError(stored: string, password = 'x', options: { defaultScheme?: string; user?: string } = { user }) {
  const error = await captureError(() => verifyPassword(stored, password, options));
  expect(error).to.be.instanceOf(PasswordSchemeError);
  return error as PasswordSchemeError;
}

describe('passwords verify-password', () => {
  describe('Dovecot vectors', () => {
    for (const [scheme, stored] of DOVECOT_VECTORS) {
      it(`accepts ${scheme} and rejects wrong passwords`, async () => {
        expect(await verifyPassword(stored, DOVECOT_PASSWORD, { user })).to.equal(true);
        expect(await verifyPassword(stored, Buffer.from(DOVECOT_PASSWORD), { user })).to.equal(true);
        expect(await verifyPassword(stored, `${DOVECOT_PASSWORD}x`, { user })).to.equal(false);
        expect(await verifyPassword(stored, DOVECOT_PASSWORD.slice(0, -1), { user })).to.equal(false);
        expect(await verifyPassword(stored, '', { user })).to.equal(false);
      });
    }
    for (const [label, stored] of DOVECOT_ROUNDS_VECTORS) {
      it(`accepts ${label}`, async () => {
        expect(await verifyPassword(stored, 'x')).to.equal(true);
        expect(await verifyPassword(stored, 'y')).to.equal(false);
      });
    }
  });

  describe('values without a {SCHEME} prefix', () => {
    const sha512 = '$6$YfUWNAEFwMirGACE$7kVt2Wu3HHQTOKsXK4wFYNa6e5lMnA2HEpFULVx6cxCSCodJqWSgJ7/8CncIlhdpH8.Rgp/l.7fM/w.2i7SiO1';

    it('use CRYPT by default, which reads the $id$ prefix', async () => {
      expect(await verifyPassword(sha512, DOVECOT_PASSWORD)).to.equal(true);
      expect(await verifyPassword('$2y$05$E6qPguKgyZ8x8bMCRkNGoeU/cu1CikAsm/rGVadxZ8gBYqDGNaWBG', DOVECOT_PASSWORD)).to.equal(true);
      expect(await verifyPassword(sha512, 'nope')).to.equal(false);
    });

    it('use the caller-given default scheme', async () => {
      expect(await verifyPassword('hunter2', 'hunter2', { defaultScheme: 'PLAIN' })).to.equal(true);
      expect(await verifyPassword('2r2QgXYcNTqExd/CaFKGCPIk18FXSB+3TgeBELSvJXg=', DOVECOT_PASSWORD, { defaultScheme: 'sha256' })).to.equal(true);
      expect(await verifyPassword('bf8db2ac111f2b92df9e22164190da9b', DOVECOT_PASSWORD, { defaultScheme: 'PLAIN-MD5' })).to.equal(true);
    });

    it('are MD5-CRYPT when shaped $1$salt$hash, whatever the default, ignoring a trailing $field', async () => {
      const stored = '$1$9GrsfKJo$/0AvFUUB9Yfd2qKxO9OQ61';
      expect(await verifyPassword(stored, 'pässword', { defaultScheme: 'PLAIN' })).to.equal(true);
      expect(await verifyPassword(`${stored}$ignored`, 'pässword', { defaultScheme: 'PLAIN' })).to.equal(true);
    });

    it('go to the system crypt(3) under CRYPT and DES-CRYPT when they are DES, yescrypt or other methods', async function () {
      if (!native) {
        expect((await schemeError('abJnggxhB/yWI')).message).to.match(/CRYPT: traditional DES crypt\(3\) values need the system crypt\(3\)/);
        expect((await schemeError(YESCRYPT)).message).to.match(/crypt\(3\) method \$y\$ values need the system crypt\(3\)/);
        expect((await schemeError(`{BLF-CRYPT}${BCRYPT_2X}`)).message).to.match(/BLF-CRYPT: crypt\(3\) method \$2x\$ values need/);
        return;
      }
      expect(await verifyPassword('abJnggxhB/yWI', 'password')).to.equal(true);
      expect(await verifyPassword('{CRYPT}abJnggxhB/yWI', 'passwore')).to.equal(false);
      // Dovecot's own DES sample (password-scheme-crypt.c); only the first 8 bytes count.
      expect(await verifyPassword('{DES-CRYPT}JBOZ0DgmtucwE', '08/15!test~4711')).to.equal(true);
      expect(await verifyPassword('{DES-CRYPT}JBOZ0DgmtucwE', '08/15!teXXXXXX')).to.equal(true);
      expect(await verifyPassword('{DES-CRYPT}JBOZ0DgmtucwE', '08/15!Xest~4711')).to.equal(false);
      expect(await verifyPassword(YESCRYPT, 'pässwörd')).to.equal(true);
      expect(await verifyPassword(`{SHA512-CRYPT}${YESCRYPT}`, 'pässwörd')).to.equal(true);
      expect(await verifyPassword(YESCRYPT, 'passwörd')).to.equal(false);
      expect(await verifyPassword(YESCRYPT, 'päss\0wörd')).to.equal(false);
      expect((await schemeError('$y$j9T$abc$def')).message).to.match(/CRYPT: crypt\(3\) method \$y\$: unsupported method or malformed value/);
      expect((await schemeError('$9$abc$def')).message).to.match(/crypt\(3\) method \$9\$: unsupported method/);
      expect((await schemeError('*')).message).to.match(/the system crypt\(3\) refused it/);
      // $2x$ (crypt_blowfish's buggy-8-bit compatibility mode): computed by the library, a mismatch here.
      expect(await verifyPassword(`{BLF-CRYPT}${BCRYPT_2X}`, 'x')).to.equal(false);
    });
  });

  describe('encodings', () => {
    it('guesses hex or base64 for fixed-length schemes by length', async () => {
      const hex = 'dabd9081761c353a84c5dfc268528608f224d7c157481fb74e078110b4af2578';
      expect(await verifyPassword(`{SHA256}${hex}`, DOVECOT_PASSWORD)).to.equal(true);
      expect(await verifyPassword(`{SHA256}${hex.toUpperCase()}`, DOVECOT_PASSWORD)).to.equal(true);
      expect(await verifyPassword('{PLAIN-MD5}v42yrBEfK5LfniIWQZDamw==', DOVECOT_PASSWORD)).to.equal(true);
      expect(await verifyPassword('{CRAM-MD5}YgguZHrvpDepV7oAvt25t4vetLyRlSMr9lD672APkWY=', DOVECOT_PASSWORD)).to.equal(true);
    });

    it('honours explicit suffixes in any case, for variable-length schemes too', async () => {
      expect(await verifyPassword('{ssha512.hex}0f840099c5fe26ecc3ec01d92efea5722aa78157a5a8af58167e00fd8c73c0680f215fa8936919ac15241f0a3c7942fc36dd5a453c9f665a8bbe2d0c86580be2f04f41d2', DOVECOT_PASSWORD)).to.equal(true);
      expect(await verifyPassword('{plain.base64}aHVudGVyMg==', 'hunter2')).to.equal(true);
      expect(await verifyPassword('{PLAIN.HEX}68756e74657232', 'hunter2')).to.equal(true);
    });

    it('reports undecodable or wrong-length values as malformed', async () => {
      expect((await schemeError('{SHA256}not*base64')).message).to.match(/SHA256: value is not valid base64/);
      expect((await schemeError('{SHA256.HEX}abcd')).message).to.match(/decoded value is 2 bytes, expected 32/);
      expect((await schemeError('{SHA256.HEX}zz')).message).to.match(/not valid hex/);
      expect((await schemeError('{SHA1}AAAA')).message).to.match(/3 bytes, expected 20/);
    });
  });

  describe('malformed stored values and unknown schemes', () => {
    const cases: [string, RegExp][] = [
      ['{FOO}bar', /FOO: unknown password scheme/],
      ['{}bar', /unknown password scheme/],
      ['{SHA256.XYZ}abc', /SHA256: unknown encoding suffix/],
      ['{PLAIN-MD4}bde52cb31de33e46245e05fbdbd6fb24', /PLAIN-MD4: MD4 is not available/],
      ['{SSHA}AAAAAAAAAAAAAAAAAAAAAAAAAAA=', /SSHA: value is too short/],
      ['{SMD5}AAAAAAAAAAAAAAAAAAAAAA==', /SMD5: value is too short/],
      ['{SHA512-CRYPT}$6$salt$tooshort', /malformed SHA512-crypt/],
      ['{SHA256-CRYPT}$5$rounds=x$salt$AAAA', /malformed SHA256-crypt/],
      ['{SHA256-CRYPT}$5$sa:lt$lBsEo0j4wdhw2E/lmGRiw1RHzKm43jCTh/jWZKWgp68', /malformed SHA256-crypt/],
      ['{BLF-CRYPT}$2y$99$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012', /malformed bcrypt/],
      ['{MD5-CRYPT}$6$salt$hash', /MD5-CRYPT: value is not an MD5-crypt/],
      ['{MD5}zzzz', /MD5: value is neither MD5-crypt nor a PLAIN-MD5 digest/],
      ['{PBKDF2}$2$salt$5000$00', /PBKDF2: value does not start with "\$1\$"/],
      ['{PBKDF2}$1$salt$many$00', /PBKDF2: value is not "\$1\$salt\$rounds\$hash"/],
      ['{PBKDF2}$1$salt$0$2795eb4ad0caa392287686ac66f99b035234a59d', /PBKDF2: rounds out of range/],
      ['{PBKDF2}$1$salt$5000$abcd', /PBKDF2: hash is not 160 bits of hex/],
      ['{ARGON2ID}$argon2id$v=19$m=65536$garbage', /ARGON2ID: malformed Argon2 PHC string/],
      ['{SCRAM-SHA-1}4096,c2FsdA==,AAAA', /SCRAM-SHA-1: value is not "iterations,salt,StoredKey,ServerKey"/],
      ['{SCRAM-SHA-1}1000,c2FsdA==,Rl7wPlBowOWMrxPENwfJb+COWhQ=,P1c3b+O8zTGZBBqpVV94JO8bfJk=', /iteration count must be 4096\.\./],
      ['{SCRAM-SHA-256}4096,c2FsdA==,Rl7wPlBowOWMrxPENwfJb+COWhQ=,P1c3b+O8zTGZBBqpVV94JO8bfJk=', /StoredKey is not a base64 digest/],
      ['{SCRAM-SHA-1}4096,!!,Rl7wPlBowOWMrxPENwfJb+COWhQ=,P1c3b+O8zTGZBBqpVV94JO8bfJk=', /salt is not base64/],
      ['{PLAIN-TRUNC}abc', /PLAIN-TRUNC: missing "<length>-" prefix/],
    ];
    for (const [stored, message] of cases) {
      it(`throws for ${stored.slice(0, 40)}`, async () => {
        const error = await schemeError(stored);
        expect(error.message).to.match(message);
        expect(error.message).to.contain(`(user ${user})`);
        expect(error.user).to.equal(user);
      });
    }

    it('is an InvalidDataError (EINVALDATA) naming scheme and user, never the value or the password', async () => {
      const error = await schemeError('{SHA512-CRYPT}$6$secretsalt$secrethash', 'hunter2');
      expect(error).to.be.instanceOf(InvalidDataError);
      expect(error.code).to.equal('EINVALDATA');
      expect(error.scheme).to.equal('SHA512-CRYPT');
      expect(error.message).to.not.match(/secretsalt|secrethash|hunter2/);
    });

    it('does not echo odd scheme names from stored data', async () => {
      const error = await schemeError('{my password is hunter2}x');
      expect(error.message).to.not.contain('hunter2');
    });

    it('needs the user for DIGEST-MD5', async () => {
      const error = await schemeError('{DIGEST-MD5}f795255185ee3be9915f0131af70fdf0', DOVECOT_PASSWORD, {});
      expect(error.message).to.match(/DIGEST-MD5: needs the user name/);
    });
  });

  describe('edge cases', () => {
    it('never matches an empty crypt value', async () => {
      expect(await verifyPassword('{CRYPT}', '')).to.equal(false);
      expect(await verifyPassword('', '')).to.equal(false);
    });

    it('matches PLAIN-TRUNC prefixes as Dovecot does', async () => {
      expect(await verifyPassword('{PLAIN-TRUNC}5-abcde', 'abcde')).to.equal(true);
      expect(await verifyPassword('{PLAIN-TRUNC}5-abcde', 'abcdefgh')).to.equal(true);
      expect(await verifyPassword('{PLAIN-TRUNC}5-abcde', 'abcd')).to.equal(false);
      expect(await verifyPassword('{PLAIN-TRUNC}9-abc', 'abc')).to.equal(true);
      expect(await verifyPassword('{PLAIN-TRUNC}9-abc', 'abcd')).to.equal(false);
    });

    it('verifies {MD5} holding a PLAIN-MD5 digest', async () => {
      expect(await verifyPassword('{MD5}bf8db2ac111f2b92df9e22164190da9b', DOVECOT_PASSWORD)).to.equal(true);
      expect(await verifyPassword('{MD5}v42yrBEfK5LfniIWQZDamw==', DOVECOT_PASSWORD)).to.equal(true);
    });

    it('answers false for over-long passwords instead of hashing them', async () => {
      const long = 'a'.repeat(MAX_PASSWORD_BYTES + 1);
      expect(await verifyPassword(`{PLAIN}${long}`, long)).to.equal(false);
      expect(await verifyPassword(`{PLAIN}${'a'.repeat(MAX_PASSWORD_BYTES)}`, 'a'.repeat(MAX_PASSWORD_BYTES))).to.equal(true);
    });

    it('cannot match bcrypt with bytes that are not UTF-8', async () => {
      expect(await verifyPassword('{BLF-CRYPT}$2y$04$j3kDl8Utv8KCY8SWFy0h9.GpItp26IDXam1vfQK9F/i4V1tUsacFm', Buffer.from([0xff]))).to.equal(false);
    });

    it('rejects non-string stored values and non-string, non-buffer passwords', async () => {
      expect(await captureError(() => verifyPassword(undefined as unknown as string, 'x'))).to.be.instanceOf(TypeError);
      expect(await captureError(() => verifyPassword('{PLAIN}x', 5 as unknown as string))).to.be.instanceOf(TypeError);
    });
  });
});
