import { expect } from 'chai';
import { supportedSchemes } from '@pigeondeliver/passwords';
import { lookupScheme } from '../../dist/scheme-registry.js';

describe('passwords scheme-registry', () => {
  it('lists every scheme the package promises', () => {
    const expected = [
      'PLAIN', 'CLEAR', 'CLEARTEXT', 'PLAIN-TRUNC', 'PLAIN-MD5', 'LDAP-MD5', 'SHA', 'SHA1', 'SHA256', 'SHA512',
      'SMD5', 'SSHA', 'SSHA256', 'SSHA512', 'MD5', 'MD5-CRYPT', 'CRYPT', 'SHA256-CRYPT', 'SHA512-CRYPT', 'BLF-CRYPT', 'DES-CRYPT',
      'ARGON2I', 'ARGON2ID', 'PBKDF2', 'CRAM-MD5', 'HMAC-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'DIGEST-MD5',
    ];
    expect(supportedSchemes()).to.have.members(expected);
    expect(new Set(supportedSchemes()).size).to.equal(supportedSchemes().length);
  });

  it('looks names up case-insensitively and reports the suffix', () => {
    const found = lookupScheme('ssha.Hex');
    expect(found.scheme.name).to.equal('SSHA');
    expect(found.encoding).to.equal('hex');
    expect(found.suffix).to.equal('HEX');
    expect(lookupScheme('Sha512').encoding).to.equal(undefined);
  });

  it('names the user in errors', () => {
    expect(() => lookupScheme('OTP', 'carol')).to.throw(/OTP: one-time password schemes are not supported \(user carol\)/);
  });
});
