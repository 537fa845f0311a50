import { ConfigError } from '@pigeondeliver/core';
import { mysqlUrl } from '@pigeondeliver/db-mysql';
import { expect } from 'chai';

describe('mysql-url', () => {
  it('accepts mysql:// and mariadb:// URLs that name a database', () => {
    expect(mysqlUrl(' mysql://root@127.0.0.1:3306/test ')).to.equal('mysql://root@127.0.0.1:3306/test');
    expect(mysqlUrl('mariadb://pd:pw@db/mail')).to.equal('mariadb://pd:pw@db/mail');
  });

  it('refuses paths, other schemes and a missing database, naming database_url and hiding the password', () => {
    for (const bad of ['/var/lib/pigeondeliver/users.sqlite', 'postgres://root:hunter2@127.0.0.1/test', 'mysql://root:hunter2@127.0.0.1:3306', '']) {
      let err: unknown;
      try {
        mysqlUrl(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).key).to.equal('database_url');
      expect((err as ConfigError).message).to.not.contain('hunter2');
    }
  });
});
