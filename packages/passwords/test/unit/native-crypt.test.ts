/**
 * The system's crypt(3) (pd_crypt addon) and this package's JavaScript crypt(3) code must give the
 * same string for every input, so a machine without the addon verifies exactly the same hashes.
 * Skipped with a message when the addon is not built, except under CI=true where that is a failure.
 */
import { expect } from 'chai';
import { computeCrypt } from '../../dist/compute-crypt.js';
import { runCryptTask, type CryptAlgorithm } from '../../dist/crypt-task.js';
import { cryptAddon, passwordCryptBackend, type CryptAddon } from '../../dist/native-crypt.js';
import { closePasswordWorkers } from '../../dist/worker-pool.js';

/** Passwords at the edges: empty, one byte, around the 32/64-byte digest and 72-byte bcrypt sizes, non-ASCII. */
const PASSWORDS: readonly Buffer[] = [
  '',
  'a',
  'password',
  'pässwörd',
  'пароль 密码 😀🔑',
  'x'.repeat(31),
  'x'.repeat(32),
  'x'.repeat(33),
  'y'.repeat(63),
  'y'.repeat(64),
  'y'.repeat(65),
  'z'.repeat(71),
  'z'.repeat(72),
  'z'.repeat(73),
  'é'.repeat(130),
  'q'.repeat(511),
].map((s) => Buffer.from(s, 'utf8'));

/** Bytes that are not UTF-8 (bcrypt is left out for these: bcryptjs only hashes strings). */
const RAW = Buffer.from([0x80, 0xff, 0xfe, 0x41, 0xc3]);

const SETTINGS: readonly [CryptAlgorithm, string][] = [
  ['md5-crypt', '$1$'],
  ['md5-crypt', '$1$s'],
  ['md5-crypt', '$1$saltsalt'],
  ['md5-crypt', '$1$saltsaltTOOLONG'],
  ['md5-crypt', '$1$a.b/C9$'],
  ['sha-crypt', '$5$'],
  ['sha-crypt', '$5$rounds=1000$abc'],
  ['sha-crypt', '$5$0123456789abcdef'],
  ['sha-crypt', '$5$rounds=1000$salt$ignored'],
  ['sha-crypt', '$6$'],
  ['sha-crypt', '$6$rounds=1001$x'],
  ['sha-crypt', '$6$rounds=1000$abcdefghijklmnopqrst'],
  ['sha-crypt', '$6$rounds=5000$saltsalt'],
  ['sha-crypt', '$6$saltsaltsaltsalt'],
  ['sha-crypt', '$6$rounds=1234$"#%&\'()+,-.<=>?@'],
  ['sha-crypt', '$5$rounds=1234$[]^_`{|}~'],
  ['bcrypt', '$2a$04$0123456789abcdefABCDEF'],
  ['bcrypt', '$2b$04$0123456789abcdefABCDEF'],
  ['bcrypt', '$2y$05$abcdefghijklmnopqrstuu'],
];

/** A small deterministic generator (xorshift32), so a failure names a reproducible case. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('passwords native crypt(3) agrees with the JavaScript code', function () {
  let addon: CryptAddon;

  before(function () {
    const found = cryptAddon();
    if (found) {
      addon = found;
      return;
    }
    const message = passwordCryptBackend().reason ?? 'pd_crypt addon missing';
    if (process.env.CI === 'true') throw new Error(message);
    console.log(`      skipped: ${message}`);
    this.skip();
  });

  after(async () => {
    await closePasswordWorkers();
  });

  it('reports the native backend', () => {
    expect(passwordCryptBackend()).to.deep.equal({ kind: 'native' });
  });

  for (const [algorithm, setting] of SETTINGS) {
    it(`${setting} for every edge-length and non-ASCII password`, () => {
      const passwords = algorithm === 'bcrypt' ? PASSWORDS : [...PASSWORDS, RAW];
      for (const password of passwords) {
        const expected = runCryptTask({ algorithm, password, setting });
        expect(addon.cryptSync(password, setting), `${password.length} bytes`).to.equal(expected);
      }
    });
  }

  it('200 random passwords, salts and rounds (seeded)', () => {
    const next = xorshift(0x5eed);
    for (let i = 0; i < 200; i++) {
      const password = Buffer.alloc(next() % 100);
      for (let j = 0; j < password.length; j++) password[j] = 1 + (next() % 255);
      let salt = '';
      for (let j = next() % 17; j > 0; j--) salt += SALT_CHARS[next() % SALT_CHARS.length];
      const kind = next() % 3;
      const setting =
        kind === 0 ? `$1$${salt.slice(0, 8)}` : `$${kind === 1 ? 5 : 6}$${next() % 2 ? `rounds=${1000 + (next() % 500)}$` : ''}${salt}`;
      const algorithm: CryptAlgorithm = kind === 0 ? 'md5-crypt' : 'sha-crypt';
      const expected = runCryptTask({ algorithm, password, setting });
      expect(addon.cryptSync(password, setting), `case ${i}: ${setting} ${password.toString('hex')}`).to.equal(expected);
    }
  });

  it('the async call (libuv thread pool) gives the same strings, many at once', async () => {
    const settings = SETTINGS.filter(([algorithm]) => algorithm !== 'bcrypt').map(([, setting]) => setting);
    const results = await Promise.all(settings.map((setting) => addon.crypt(Buffer.from('pässwörd'), setting)));
    results.forEach((result, i) => expect(result).to.equal(addon.cryptSync(Buffer.from('pässwörd'), settings[i]!)));
  });

  it('answers null where libxcrypt refuses: passphrases of 512 bytes and more, rounds out of range, salts with ! * : ; \\', () => {
    expect(addon.cryptSync(Buffer.alloc(512, 'q'), '$6$salt')).to.equal(null);
    expect(addon.cryptSync(Buffer.from('pw'), '$6$rounds=10$salt')).to.equal(null);
    expect(addon.cryptSync(Buffer.from('pw'), '$6$rounds=01000$salt')).to.equal(null);
    expect(addon.cryptSync(Buffer.from('pw'), '$9$unknown')).to.equal(null);
    for (const c of '!*:;\\') expect(addon.cryptSync(Buffer.from('pw'), `$6$ab${c}cd`), c).to.equal(null);
  });

  it('refuses a password with a NUL byte (a C string would end there)', () => {
    expect(() => addon.cryptSync(Buffer.from('a\0b'), '$6$salt')).to.throw(TypeError, /NUL/);
  });

  it('computeCrypt gives the JavaScript result where the addon cannot: NUL bytes, long passphrases, odd rounds', async () => {
    const cases: [Buffer, string][] = [
      [Buffer.from('a\0b'), '$6$rounds=1000$salt'],
      [Buffer.alloc(600, 'q'), '$6$rounds=1000$salt'],
      [Buffer.alloc(600, 'q'), '$1$salt'],
      [Buffer.from('pw'), '$6$rounds=10$salt'],
      [Buffer.from('pw'), '$6$rounds=1000$a!b*c;d\\e'],
    ];
    for (const [password, setting] of cases) {
      const algorithm: CryptAlgorithm = setting.startsWith('$1$') ? 'md5-crypt' : 'sha-crypt';
      expect(await computeCrypt({ algorithm, password, setting })).to.equal(runCryptTask({ algorithm, password, setting }));
    }
  });
});
