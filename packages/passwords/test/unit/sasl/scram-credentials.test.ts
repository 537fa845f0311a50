import { createHash, createHmac } from 'node:crypto';
import { expect } from 'chai';
import { PasswordSchemeError, scramCredentials, verifyPassword } from '@pigeondeliver/passwords';
import { formatScramValue, scramKeys } from '../../../dist/schemes/scram.js';
import { captureError } from '../../capture-error.js';
import { DOVECOT_PASSWORD } from '../../dovecot-vectors.js';

const xor = (a: Buffer, b: Buffer) => Buffer.from(a.map((byte, i) => byte ^ b[i]!));

/** Checks a recorded RFC exchange against credentials: the client proof and the server signature. */
function checkExchange(
  algorithm: 'sha1' | 'sha256',
  credentials: { storedKey: Buffer; serverKey: Buffer },
  authMessage: string,
  proof: string,
  verifier: string,
): void {
  const clientSignature = createHmac(algorithm, credentials.storedKey).update(authMessage).digest();
  const clientKey = xor(Buffer.from(proof, 'base64'), clientSignature);
  expect(createHash(algorithm).update(clientKey).digest()).to.deep.equal(credentials.storedKey);
  expect(createHmac(algorithm, credentials.serverKey).update(authMessage).digest('base64')).to.equal(verifier);
}

describe('passwords sasl/scram-credentials', () => {
  it('reads a stored Dovecot SCRAM-SHA-1 value', async () => {
    const stored = '{SCRAM-SHA-1}4096,swcQ2r5tuZVrAUk4OCkLmA==,Rl7wPlBowOWMrxPENwfJb+COWhQ=,P1c3b+O8zTGZBBqpVV94JO8bfJk=';
    const credentials = (await scramCredentials(stored, 'SHA-1'))!;
    expect(credentials.iterations).to.equal(4096);
    expect(credentials.salt.toString('base64')).to.equal('swcQ2r5tuZVrAUk4OCkLmA==');
    expect(credentials.storedKey.toString('base64')).to.equal('Rl7wPlBowOWMrxPENwfJb+COWhQ=');
    expect(credentials.serverKey.toString('base64')).to.equal('P1c3b+O8zTGZBBqpVV94JO8bfJk=');
    const derived = await scramKeys('sha1', Buffer.from(DOVECOT_PASSWORD), credentials.salt, 4096);
    expect(derived).to.deep.equal(credentials);
    expect(await scramCredentials(stored, 'SHA-256')).to.equal(null);
  });

  it('serves the RFC 5802 section 5 SCRAM-SHA-1 exchange', async () => {
    const keys = await scramKeys('sha1', Buffer.from('pencil'), Buffer.from('QSXCR+Q6sek8bf92', 'base64'), 4096);
    const credentials = (await scramCredentials(`{SCRAM-SHA-1}${formatScramValue(keys)}`, 'SHA-1'))!;
    const authMessage =
      'n=user,r=fyko+d2lbbFgONRv9qkxdawL,' +
      'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096,' +
      'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j';
    checkExchange('sha1', credentials, authMessage, 'v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=', 'rmF9pqV8S7suAoZWja4dJRkFsKQ=');
  });

  it('serves the RFC 7677 section 3 SCRAM-SHA-256 exchange from a plaintext-equivalent value', async () => {
    const keys = await scramKeys('sha256', Buffer.from('pencil'), Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
    const stored = `{SCRAM-SHA-256}${formatScramValue(keys)}`;
    expect(await verifyPassword(stored, 'pencil')).to.equal(true);
    const credentials = (await scramCredentials(stored, 'SHA-256'))!;
    const authMessage =
      'n=user,r=rOprNGfwEbeRWgbNEkqO,' +
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,' +
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    checkExchange(
      'sha256',
      credentials,
      authMessage,
      'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
      '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
    );
  });

  it('derives credentials from a plaintext with a fresh salt', async () => {
    const a = (await scramCredentials('{PLAIN}pencil', 'SHA-256'))!;
    const b = (await scramCredentials('{PLAIN}pencil', 'SHA-256', { iterations: 5000 }))!;
    expect(a.iterations).to.equal(4096);
    expect(b.iterations).to.equal(5000);
    expect(a.salt).to.have.length(16);
    expect(a.salt).to.not.deep.equal(b.salt);
    expect(await scramKeys('sha256', Buffer.from('pencil'), a.salt, 4096)).to.deep.equal(a);
  });

  it('returns null for one-way schemes and rejects bad arguments and values', async () => {
    expect(await scramCredentials('{SHA512-CRYPT}$6$x$y', 'SHA-1')).to.equal(null);
    expect(await captureError(() => scramCredentials('{PLAIN}x', 'MD5' as 'SHA-1'))).to.be.instanceOf(TypeError);
    expect(await captureError(() => scramCredentials('{PLAIN}x', 'SHA-1', { iterations: 100 }))).to.be.instanceOf(RangeError);
    const broken = await captureError(() => scramCredentials('{SCRAM-SHA-256}4096,c2FsdA==,AA==,AA==', 'SHA-256', { user: 'frank' }));
    expect(broken).to.be.instanceOf(PasswordSchemeError);
    expect(broken.message).to.match(/SCRAM-SHA-256: StoredKey is not a base64 digest \(user frank\)/);
  });
});
