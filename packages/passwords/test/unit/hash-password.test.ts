import { expect } from 'chai';
import {
  hashPassword,
  MAX_PASSWORD_BYTES,
  passwordCryptBackend,
  PasswordSchemeError,
  supportedSchemes,
  verifyPassword,
} from '@pigeondeliver/passwords';
import { captureError } from '../capture-error.js';

const user = 'bob@example.net';
// Keep the slow families cheap in unit tests; their default costs are exercised against doveadm.
const cheap: Record<string, number> = { 'BLF-CRYPT': 4, CRYPT: 4, 'ARGON2I': 3, 'SHA256-CRYPT': 1000, 'SHA512-CRYPT': 1000 };

describe('passwords hash-password', () => {
  /** DES-CRYPT is computed only by the system's crypt(3) (pd_crypt addon). */
  const native = passwordCryptBackend().kind === 'native';

  for (const scheme of supportedSchemes().filter((name) => native || name !== 'DES-CRYPT')) {
    it(`generates ${scheme} values that verify`, async () => {
      const password = 'correct horse ✓';
      const stored = await hashPassword(scheme, password, { user, rounds: cheap[scheme] ?? 0 });
      expect(stored.startsWith(`{${scheme}}`)).to.equal(true);
      expect(await verifyPassword(stored, password, { user })).to.equal(true);
      expect(await verifyPassword(stored, 'correct horse', { user })).to.equal(scheme === 'DES-CRYPT'); // DES: 8 bytes count
      expect(await verifyPassword(stored, 'Correct horse ✓', { user })).to.equal(false);
    });
  }

  it('writes the scheme in upper case with the suffix, encoded accordingly', async () => {
    const hex = await hashPassword('sha256.hex', 'x');
    expect(hex).to.match(/^\{SHA256\.HEX\}[0-9a-f]{64}$/);
    expect(await hashPassword('plain.b64', 'hunter2')).to.equal('{PLAIN.B64}aHVudGVyMg==');
    expect(await hashPassword('PLAIN-MD5.BASE64', 'hunter2')).to.match(/^\{PLAIN-MD5\.BASE64\}[A-Za-z0-9+/]{22}==$/);
    expect(await hashPassword('clear', 'hunter2')).to.equal('{CLEAR}hunter2');
  });

  it('uses fresh salts', async () => {
    expect(await hashPassword('SSHA', 'x')).to.not.equal(await hashPassword('SSHA', 'x'));
    expect(await hashPassword('SHA512-CRYPT', 'x')).to.not.equal(await hashPassword('SHA512-CRYPT', 'x'));
  });

  it('applies rounds as Dovecot does, clamping to each scheme range', async () => {
    expect(await hashPassword('SHA512-CRYPT', 'x')).to.match(/^\{SHA512-CRYPT\}\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(await hashPassword('SHA512-CRYPT', 'x', { rounds: 5000 })).to.not.contain('rounds=');
    expect(await hashPassword('SHA512-CRYPT', 'x', { rounds: 1200 })).to.contain('$6$rounds=1200$');
    expect(await hashPassword('SHA256-CRYPT', 'x', { rounds: 10 })).to.contain('$5$rounds=1000$');
    expect(await hashPassword('BLF-CRYPT', 'x')).to.match(/^\{BLF-CRYPT\}\$2y\$05\$/);
    expect(await hashPassword('BLF-CRYPT', 'x', { rounds: 1 })).to.match(/^\{BLF-CRYPT\}\$2y\$04\$/);
    expect(await hashPassword('PBKDF2', 'x')).to.match(/^\{PBKDF2\}\$1\$[./0-9A-Za-z]{16}\$5000\$[0-9a-f]{40}$/);
    expect(await hashPassword('PBKDF2', 'x', { rounds: 10 })).to.match(/\$10\$[0-9a-f]{40}$/);
    expect(await hashPassword('SCRAM-SHA-1', 'x', { rounds: 10 })).to.match(/^\{SCRAM-SHA-1\}4096,/);
    expect(await hashPassword('SCRAM-SHA-256', 'x', { rounds: 5000 })).to.match(/^\{SCRAM-SHA-256\}5000,/);
    expect(await hashPassword('MD5', 'x')).to.match(/^\{MD5\}\$1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{22}$/);
  });

  it('uses the Argon2 costs Dovecot picks, in libsodium parameter order', async () => {
    expect(await hashPassword('ARGON2I', 'x')).to.match(/^\{ARGON2I\}\$argon2i\$v=19\$m=32768,t=4,p=1\$/);
    expect(await hashPassword('ARGON2ID', 'x')).to.match(/^\{ARGON2ID\}\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
    const error = await captureError(() => hashPassword('ARGON2I', 'x', { rounds: 2 }));
    expect(error).to.be.instanceOf(PasswordSchemeError);
    expect(error.message).to.match(/ARGON2I: rounds must be at least 3/);
  });

  it('rejects unknown and unimplemented schemes, naming them', async () => {
    const unknown = await captureError(() => hashPassword('NOPE', 'x'));
    expect(unknown).to.be.instanceOf(PasswordSchemeError);
    expect(unknown.message).to.match(/NOPE: unknown password scheme/);
    if (!native) expect((await captureError(() => hashPassword('DES-CRYPT', 'x'))).message).to.match(/DES-CRYPT: needs the system crypt\(3\)/);
    else expect(await hashPassword('DES-CRYPT', 'x')).to.match(/^\{DES-CRYPT\}[./0-9A-Za-z]{13}$/);
    expect((await captureError(() => hashPassword('DES-CRYPT', 'a\0b'))).message).to.match(/DES-CRYPT: (cannot hash a password holding a NUL byte|needs the system)/);
    expect((await captureError(() => hashPassword('SHA256.ROT13', 'x'))).message).to.match(/unknown encoding suffix/);
    expect((await captureError(() => hashPassword('DIGEST-MD5', 'x'))).message).to.match(/needs the user name/);
  });

  it('rejects bad arguments', async () => {
    expect(await captureError(() => hashPassword('SHA256', 'x', { rounds: -1 }))).to.be.instanceOf(RangeError);
    expect(await captureError(() => hashPassword('SHA256', 'x', { rounds: 1.5 }))).to.be.instanceOf(RangeError);
    expect(await captureError(() => hashPassword('SHA256', 'a'.repeat(MAX_PASSWORD_BYTES + 1)))).to.be.instanceOf(RangeError);
    expect(await captureError(() => hashPassword(7 as unknown as string, 'x'))).to.be.instanceOf(TypeError);
    expect(await captureError(() => hashPassword('SHA256', null as unknown as string))).to.be.instanceOf(TypeError);
    const bcrypt = await captureError(() => hashPassword('BLF-CRYPT', Buffer.from([0xc3, 0x28])));
    expect(bcrypt.message).to.match(/BLF-CRYPT: bcrypt can only hash passwords that are valid UTF-8/);
  });

  it('hashes raw bytes given as a Buffer', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0x41]);
    const stored = await hashPassword('SSHA512', bytes);
    expect(await verifyPassword(stored, bytes)).to.equal(true);
    expect(await verifyPassword(stored, Buffer.from([0xff, 0x00]))).to.equal(false);
  });
});
