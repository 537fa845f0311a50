import { expect } from 'chai';
import { md5Crypt, md5CryptSalt } from '../../../dist/algorithms/md5-crypt.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('passwords algorithms/md5-crypt', () => {
  it('matches OpenSSL `passwd -1` and Dovecot', () => {
    expect(md5Crypt(utf8('password'), '$1$saltsalt')).to.equal('$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/');
    expect(md5Crypt(utf8(''), '$1$')).to.equal('$1$$qRPK7m23GJusamGpoGLby/');
    expect(md5Crypt(utf8('x'), '$1$abc')).to.equal('$1$abc$OGyl6dDvZCDiGmIVbeuCq/');
    // doveadm pw -s MD5 -p 'pässword'
    expect(md5Crypt(utf8('pässword'), '$1$9GrsfKJo$/0AvFUUB9Yfd2qKxO9OQ61')).to.equal('$1$9GrsfKJo$/0AvFUUB9Yfd2qKxO9OQ61');
  });

  it('takes at most 8 salt characters, up to the next "$", with or without the magic', () => {
    expect(md5CryptSalt('$1$abcdefghij$hash')).to.equal('abcdefgh');
    expect(md5CryptSalt('$1$ab$hash')).to.equal('ab');
    expect(md5CryptSalt('xyz')).to.equal('xyz');
    expect(md5Crypt(utf8('password'), 'saltsalt')).to.equal('$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/');
  });
});
