import { expect } from 'chai';
import { UserFlagError, userChangesFromFlags } from '@pigeondeliver/admin';

describe('admin user flags', () => {
  it('converts only the flags that were given', () => {
    expect(userChangesFromFlags({ uid: '5000', home: '/var/mail/a', quota: '2G', disable: true, pop3: false })).to.deep.equal({
      uid: 5000,
      home: '/var/mail/a',
      quotaBytes: 2 * 1024 ** 3,
      enabled: false,
      allowPop3: false,
    });
    expect(userChangesFromFlags({})).to.deep.equal({});
  });

  it('clears a field with "-"', () => {
    expect(userChangesFromFlags({ uid: '-', host: '-', backend: '-' })).to.deep.equal({ uid: null, host: null, backend: null });
  });

  it('refuses uid 0, non-numbers, relative homes, bad quotas, bad backend names and contradictions', () => {
    expect(() => userChangesFromFlags({ uid: '0' })).to.throw(UserFlagError, /--uid 0 is not allowed/);
    expect(() => userChangesFromFlags({ gid: 'abc' })).to.throw(UserFlagError, /--gid must be a number/);
    expect(() => userChangesFromFlags({ home: 'relative/dir' })).to.throw(UserFlagError, /absolute/);
    expect(() => userChangesFromFlags({ quota: 'lots' })).to.throw(UserFlagError, /--quota/);
    expect(() => userChangesFromFlags({ backend: 'dovecot; rm -rf /' })).to.throw(UserFlagError, /--backend/);
    expect(() => userChangesFromFlags({ enable: true, disable: true })).to.throw(UserFlagError, /contradict/);
  });
});
