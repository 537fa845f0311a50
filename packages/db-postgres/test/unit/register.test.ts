import { CORE_OPTION_SPECS, ConfigError, IDatabase, defaultPluginSearch, loadPlugin, resolve, validateOptions, type RawOption } from '@pigeondeliver/core';
import { KnexDatabase } from '@pigeondeliver/db-common';
import { expect } from 'chai';
import { container } from 'tsyringe';

describe('db-postgres plugin (register)', () => {
  it('loads through the core loader and registers IDatabase from the options (connecting lazily)', async () => {
    const manifest = await loadPlugin('db-postgres', 'db', defaultPluginSearch());
    expect(manifest).to.include({ kind: 'db', name: 'db-postgres' });
    const raw: RawOption[] = [
      { key: 'database', value: 'db-postgres', source: 'test' },
      { key: 'database_url', value: 'postgres://pd:s3cret@127.0.0.1:5432/mail', source: 'test' },
      { key: 'postgres_table_prefix', value: 'pd_', source: 'test' },
      { key: 'postgres_pool_size', value: '2', source: 'test' },
      { key: 'login_case_insensitive', value: 'no', source: 'test' },
    ];
    const options = validateOptions(raw, [...CORE_OPTION_SPECS, ...(manifest.options ?? [])]);
    const child = container.createChildContainer();
    await manifest.register(child, options);
    const db = resolve(child, IDatabase);
    try {
      expect(db).to.be.instanceOf(KnexDatabase);
      expect(db.dialect).to.equal('postgres');
      const knexDb = db as KnexDatabase;
      expect(knexDb.tables.users).to.equal('pd_users');
      expect(knexDb.loginCaseInsensitive).to.equal(false);
      expect(knexDb.location).to.not.contain('s3cret');
    } finally {
      await db.close();
    }
  });

  it('stops at register time when database_url is not a PostgreSQL URL', async () => {
    const manifest = await loadPlugin('db-postgres', 'db', defaultPluginSearch());
    const options = validateOptions([], [...CORE_OPTION_SPECS, ...(manifest.options ?? [])]);
    let err: unknown;
    try {
      await manifest.register(container.createChildContainer(), options);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ConfigError);
    expect((err as Error).message).to.match(/database_url.*postgres:\/\//);
  });
});
