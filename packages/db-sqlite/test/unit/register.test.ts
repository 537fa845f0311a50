import { CORE_OPTION_SPECS, IDatabase, defaultPluginSearch, loadPlugin, resolve, validateOptions, type RawOption } from '@pigeondeliver/core';
import { KnexDatabase } from '@pigeondeliver/db-common';
import { createTempDir } from '@pigeondeliver/test-fixtures/temp-dir';
import { expect } from 'chai';
import { container } from 'tsyringe';

describe('db-sqlite plugin (register)', () => {
  it('loads through the core loader and registers a working IDatabase', async () => {
    const manifest = await loadPlugin('db-sqlite', 'db', defaultPluginSearch());
    expect(manifest).to.include({ kind: 'db', name: 'db-sqlite' });
    const dir = createTempDir('pd-db-sqlite-load-');
    const raw: RawOption[] = [
      { key: 'database', value: 'db-sqlite', source: 'test' },
      { key: 'database_url', value: dir.join('var', 'users.sqlite'), source: 'test' },
      { key: 'sqlite_table_prefix', value: 'pd_', source: 'test' },
      { key: 'database_timeout', value: '2s', source: 'test' },
    ];
    const options = validateOptions(raw, [...CORE_OPTION_SPECS, ...(manifest.options ?? [])]);
    const child = container.createChildContainer();
    await manifest.register(child, options);
    const db = resolve(child, IDatabase);
    try {
      expect(db).to.be.instanceOf(KnexDatabase);
      expect(db).to.equal(resolve(child, IDatabase));
      expect(db.dialect).to.equal('sqlite');
      expect((db as KnexDatabase).tables.users).to.equal('pd_users');
      expect((db as KnexDatabase).timeoutMs).to.equal(2000);
      await db.users.create({ login: 'plugin-user' });
      expect((await db.users.lookup('PLUGIN-USER'))?.login).to.equal('plugin-user');
    } finally {
      await db.close();
    }
  });

  it('refuses a bad table prefix when the options are validated', async () => {
    const manifest = await loadPlugin('db-sqlite', 'db', defaultPluginSearch());
    const raw: RawOption[] = [{ key: 'sqlite_table_prefix', value: 'drop table;', source: 'test' }];
    expect(() => validateOptions(raw, [...CORE_OPTION_SPECS, ...(manifest.options ?? [])])).to.throw(/sqlite_table_prefix/);
  });
});
