import { InvalidInputError, tableNames } from '@pigeondeliver/db-common';
import { expect } from 'chai';

describe('table-names', () => {
  it('derives every table name from one prefix', () => {
    expect(tableNames()).to.deep.equal({ prefix: '', users: 'users', nodes: 'nodes', migrations: 'knex_migrations' });
    expect(tableNames('pd_').users).to.equal('pd_users');
  });

  it('refuses prefixes that would need quoting or exceed identifier limits', () => {
    for (const bad of ['1x', 'a-b', 'a b', 'x'.repeat(33), 'users;drop']) {
      expect(() => tableNames(bad), bad).to.throw(InvalidInputError, /table prefix/);
    }
  });
});
