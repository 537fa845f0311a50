import { expect } from 'chai';
import { PasswordSchemeError, plaintextFor } from '@pigeondeliver/passwords';

describe('passwords sasl/plaintext', () => {
  it('returns the plaintext of reversible schemes, decoding suffixes', () => {
    expect(plaintextFor('{PLAIN}hunter2')).to.deep.equal(Buffer.from('hunter2'));
    expect(plaintextFor('{clear}pässwörd')).to.deep.equal(Buffer.from('pässwörd'));
    expect(plaintextFor('{CLEARTEXT.B64}aHVudGVyMg==')).to.deep.equal(Buffer.from('hunter2'));
    expect(plaintextFor('hunter2', { defaultScheme: 'PLAIN' })).to.deep.equal(Buffer.from('hunter2'));
  });

  it('returns null for one-way schemes, PLAIN-TRUNC included', () => {
    expect(plaintextFor('{SHA256}2r2QgXYcNTqExd/CaFKGCPIk18FXSB+3TgeBELSvJXg=')).to.equal(null);
    expect(plaintextFor('{PLAIN-TRUNC}3-abc')).to.equal(null);
    expect(plaintextFor('$6$salt$hash')).to.equal(null);
  });

  it('throws for unknown schemes and undecodable values', () => {
    expect(() => plaintextFor('{NOPE}x', { user: 'erin' })).to.throw(PasswordSchemeError, /NOPE.*\(user erin\)/);
    expect(() => plaintextFor('{PLAIN.HEX}xyz')).to.throw(PasswordSchemeError, /not valid hex/);
  });
});
