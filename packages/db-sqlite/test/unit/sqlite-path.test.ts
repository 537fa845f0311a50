import { ConfigError } from '@pigeondeliver/core';
import { expect } from 'chai';
import { sqlitePath } from '@pigeondeliver/db-sqlite';

describe('sqlite-path', () => {
  it('accepts absolute and relative paths, file: URLs and :memory:', () => {
    expect(sqlitePath('/var/lib/pd/users.sqlite')).to.equal('/var/lib/pd/users.sqlite');
    expect(sqlitePath('users.sqlite')).to.equal(`${process.cwd()}/users.sqlite`);
    expect(sqlitePath('file:///srv/u.sqlite')).to.equal('/srv/u.sqlite');
    expect(sqlitePath(' :memory: ')).to.equal(':memory:');
  });

  it('refuses empty values and server URLs, naming database_url', () => {
    for (const bad of ['', '  ', 'mysql://root@127.0.0.1/test', 'postgres://x@y/z']) {
      let err: unknown;
      try {
        sqlitePath(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).key).to.equal('database_url');
    }
  });
});
