import { expect } from 'chai';
import { canServe, type SaslMechanism } from '@pigeondeliver/passwords';

const mechanisms: SaslMechanism[] = ['PLAIN', 'LOGIN', 'APOP', 'CRAM-MD5', 'DIGEST-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'];

function served(stored: string): string[] {
  return mechanisms.filter((m) => canServe(m, stored));
}

describe('passwords sasl/can-serve', () => {
  it('serves everything from a plaintext', () => {
    expect(served('{PLAIN}x')).to.deep.equal(mechanisms);
    expect(served('{CLEARTEXT.B64}eA==')).to.deep.equal(mechanisms);
  });

  it('serves only password mechanisms from one-way hashes', () => {
    for (const stored of ['{SHA512-CRYPT}$6$a$b', '$6$a$b', '{SSHA}abc', '{ARGON2ID}$argon2id$x', '{PLAIN-TRUNC}1-x']) {
      expect(served(stored), stored).to.deep.equal(['PLAIN', 'LOGIN']);
    }
  });

  it('serves the matching challenge-response mechanism from stored credentials', () => {
    expect(served('{CRAM-MD5}00')).to.deep.equal(['PLAIN', 'LOGIN', 'CRAM-MD5']);
    expect(served('{HMAC-MD5}00')).to.deep.equal(['PLAIN', 'LOGIN', 'CRAM-MD5']);
    expect(served('{DIGEST-MD5}00')).to.deep.equal(['PLAIN', 'LOGIN', 'DIGEST-MD5']);
    expect(served('{SCRAM-SHA-1}x')).to.deep.equal(['PLAIN', 'LOGIN', 'SCRAM-SHA-1']);
    expect(served('{SCRAM-SHA-256}x')).to.deep.equal(['PLAIN', 'LOGIN', 'SCRAM-SHA-256']);
    expect(canServe('scram-sha-256-plus', '{SCRAM-SHA-256}x')).to.equal(true);
  });

  it('serves nothing for unknown schemes or mechanisms', () => {
    expect(served('{NOPE}x')).to.deep.equal([]);
    expect(canServe('GSSAPI', '{PLAIN}x')).to.equal(false);
    expect(canServe(undefined as unknown as string, '{PLAIN}x')).to.equal(false);
    expect(canServe('PLAIN', 'plain', { defaultScheme: 'WHAT' })).to.equal(false);
  });
});
