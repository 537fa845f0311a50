import { ConfigError } from '@pigeondeliver/core';
import { postgresUrl } from '@pigeondeliver/db-postgres';
import { expect } from 'chai';

describe('postgres-url', () => {
  it('accepts postgres:// and postgresql:// URLs', () => {
    expect(postgresUrl(' postgres://pd@127.0.0.1:5432/mail ')).to.equal('postgres://pd@127.0.0.1:5432/mail');
    expect(postgresUrl('postgresql://pd:pw@db/mail')).to.equal('postgresql://pd:pw@db/mail');
  });

  it('refuses paths and other schemes, naming database_url and hiding the password', () => {
    for (const bad of ['/var/lib/pigeondeliver/users.sqlite', 'mysql://root:hunter2@127.0.0.1/test', '']) {
      let err: unknown;
      try {
        postgresUrl(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).key).to.equal('database_url');
      expect((err as ConfigError).message).to.not.contain('hunter2');
    }
  });
});
