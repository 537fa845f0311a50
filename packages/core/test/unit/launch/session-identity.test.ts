import { expect } from 'chai';
import { BackendError, expandHomeTemplate, resolveSessionIdentity } from '@pigeondeliver/core';
import { testUserRecord } from '@pigeondeliver/test-fixtures/preauth-server';

describe('session identity', function () {
  const settings = { mailUid: 5000, mailGid: 5001, homeTemplate: '/var/mail/pd/%d/%n' };

  it('uses the row, or the virtual-mail uid/gid and home_template for empty fields', function () {
    expect(resolveSessionIdentity(testUserRecord({ login: 'a@x.org', uid: 1001, gid: 1002, home: '/home/a' }), settings)).to.deep.equal({
      uid: 1001, gid: 1002, home: '/home/a',
    });
    expect(resolveSessionIdentity(testUserRecord({ login: 'a@x.org' }), settings)).to.deep.equal({ uid: 5000, gid: 5001, home: '/var/mail/pd/x.org/a' });
  });

  it('refuses users without uid when mail_uid is unset, and logins unusable in a path', function () {
    expect(() => resolveSessionIdentity(testUserRecord({ login: 'a' }), { homeTemplate: '/h/%u' })).to.throw(BackendError, /mail_uid/);
    for (const login of ['../x', 'a/b', '..', 'a\nb', '']) expect(() => expandHomeTemplate('/h/%u', login), login).to.throw(BackendError);
    expect(() => expandHomeTemplate('/h/%q', 'a')).to.throw(BackendError, /unknown variable/);
    expect(expandHomeTemplate('/h/100%%/%u', 'a')).to.equal('/h/100%/a');
  });
});
