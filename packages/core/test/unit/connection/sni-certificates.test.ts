import { expect } from 'chai';
import { ConfigError, parseSniEntry, pickByServerName } from '@pigeondeliver/core';

describe('tls_sni_certs (core)', () => {
  it('parseSniEntry: name:cert:key with the name in lower case; other shapes name the option', () => {
    expect(parseSniEntry('Mail.Example.org:/c.pem:/k.pem')).to.deep.equal({ name: 'mail.example.org', certFile: '/c.pem', keyFile: '/k.pem' });
    for (const bad of ['x:/c.pem', 'x:/c.pem:/k.pem:y', ':/c.pem:/k.pem', 'x::/k.pem']) {
      expect(() => parseSniEntry(bad)).to.throw(ConfigError, /tls_sni_certs/);
    }
  });

  it('pickByServerName: exact name first, then a wildcard one label deep, else nothing (the default)', () => {
    const byName = new Map([
      ['mail.example.org', 'exact'],
      ['*.example.org', 'wild'],
    ]);
    expect(pickByServerName(byName, 'mail.example.org')).to.equal('exact');
    expect(pickByServerName(byName, 'MAIL.Example.ORG')).to.equal('exact');
    expect(pickByServerName(byName, 'imap.example.org')).to.equal('wild');
    expect(pickByServerName(byName, 'a.b.example.org')).to.equal(undefined);
    expect(pickByServerName(byName, 'example.org')).to.equal(undefined);
    expect(pickByServerName(byName, '.example.org')).to.equal(undefined);
    expect(pickByServerName(byName, 'other.test')).to.equal(undefined);
    expect(pickByServerName(byName, '')).to.equal(undefined);
    expect(pickByServerName(byName, undefined)).to.equal(undefined);
  });
});
