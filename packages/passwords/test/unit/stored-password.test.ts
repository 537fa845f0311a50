import { expect } from 'chai';
import { DEFAULT_PASS_SCHEME, parseStoredPassword, PasswordSchemeError } from '@pigeondeliver/passwords';

describe('passwords stored-password', () => {
  it('splits {SCHEME}value, case-insensitively, with the default encoding', () => {
    expect(parseStoredPassword('{ssha256}abc=')).to.deep.equal({
      scheme: 'SSHA256',
      encoding: 'base64',
      explicitEncoding: false,
      source: 'prefix',
      value: 'abc=',
    });
    expect(parseStoredPassword('{PLAIN}')).to.deep.include({ scheme: 'PLAIN', value: '', encoding: 'none' });
    expect(parseStoredPassword('{PLAIN}a}b{c')).to.deep.include({ value: 'a}b{c' });
  });

  it('reads .HEX, .B64 and .BASE64 suffixes', () => {
    expect(parseStoredPassword('{SHA256.hex}00')).to.deep.include({ scheme: 'SHA256', encoding: 'hex', explicitEncoding: true });
    expect(parseStoredPassword('{PLAIN-MD5.B64}x')).to.deep.include({ encoding: 'base64', explicitEncoding: true });
    expect(parseStoredPassword('{PLAIN.BASE64}x')).to.deep.include({ encoding: 'base64' });
  });

  it('recognises $1$salt$hash as MD5-CRYPT and cuts what follows the hash', () => {
    expect(parseStoredPassword('$1$salt$hash$extra', 'PLAIN')).to.deep.equal({
      scheme: 'MD5-CRYPT',
      encoding: 'none',
      explicitEncoding: false,
      source: 'md5-crypt',
      value: '$1$salt$hash',
    });
    expect(parseStoredPassword('$1$nodollar', 'PLAIN')).to.deep.include({ scheme: 'PLAIN', source: 'default' });
  });

  it('uses the default scheme otherwise (CRYPT unless told)', () => {
    expect(DEFAULT_PASS_SCHEME).to.equal('CRYPT');
    expect(parseStoredPassword('$6$salt$hash')).to.deep.include({ scheme: 'CRYPT', source: 'default', value: '$6$salt$hash' });
    expect(parseStoredPassword('{PLAIN', 'plain')).to.deep.include({ scheme: 'PLAIN', value: '{PLAIN' });
    expect(parseStoredPassword('abc', 'SHA256.HEX')).to.deep.include({ scheme: 'SHA256', encoding: 'hex' });
  });

  it('throws PasswordSchemeError for unknown schemes and suffixes and an empty default', () => {
    expect(() => parseStoredPassword('{WHAT}x')).to.throw(PasswordSchemeError, /WHAT: unknown password scheme/);
    expect(() => parseStoredPassword('{SHA.ZIP}x')).to.throw(PasswordSchemeError, /unknown encoding suffix/);
    expect(() => parseStoredPassword('x', '')).to.throw(PasswordSchemeError, /no default scheme/);
    expect(() => parseStoredPassword('x', 'NOPE')).to.throw(PasswordSchemeError, /NOPE: unknown/);
    expect(() => parseStoredPassword(42 as unknown as string)).to.throw(TypeError);
  });
});
