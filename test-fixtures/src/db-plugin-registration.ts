/// <reference types="mocha" />
/**
 * The register test every server-database plugin (db-mysql, db-postgres) runs: the plugin loads
 * through core's loader, registers IDatabase from the options without connecting, and stops at
 * register time with a ConfigError when database_url has the wrong scheme.
 */
import {
  CORE_OPTION_SPECS,
  ConfigError,
  IDatabase,
  defaultPluginSearch,
  loadPlugin,
  resolve,
  validateOptions,
  type DependencyContainer,
  type RawOption,
} from '@pigeondeliver/core';
import { KnexDatabase } from '@pigeondeliver/db-common';
import { expect } from 'chai';

/** One plugin under test. */
export interface DbPluginCase {
  /** Plugin name, e.g. `db-mysql`. */
  readonly plugin: string;
  /** `KnexDatabase.dialect`, e.g. `mysql`. */
  readonly dialect: string;
  /** Product name in the test title, e.g. `MySQL`. */
  readonly product: string;
  /** A valid database_url whose password is `s3cret` (never connected to). */
  readonly url: string;
  /** Prefix of the plugin's own options, e.g. `mysql_` (`<prefix>table_prefix`, `<prefix>pool_size`). */
  readonly optionPrefix: string;
  /** The scheme the error message names, e.g. `mysql://`. */
  readonly scheme: string;
  /** The test's root container (test-fixtures does not import tsyringe itself). */
  readonly root: DependencyContainer;
}

/** Defines the two register tests (call it inside the package's describe()). */
export function itRegistersDatabasePlugin(c: DbPluginCase): void {
  it('loads through the core loader and registers IDatabase from the options (connecting lazily)', async () => {
    const manifest = await loadPlugin(c.plugin, 'db', defaultPluginSearch());
    expect(manifest).to.include({ kind: 'db', name: c.plugin });
    const raw: RawOption[] = [
      { key: 'database', value: c.plugin, source: 'test' },
      { key: 'database_url', value: c.url, source: 'test' },
      { key: `${c.optionPrefix}table_prefix`, value: 'pd_', source: 'test' },
      { key: `${c.optionPrefix}pool_size`, value: '2', source: 'test' },
      { key: 'login_case_insensitive', value: 'no', source: 'test' },
    ];
    const options = validateOptions(raw, [...CORE_OPTION_SPECS, ...(manifest.options ?? [])]);
    const child = c.root.createChildContainer();
    await manifest.register(child, options);
    const db = resolve(child, IDatabase);
    try {
      expect(db).to.be.instanceOf(KnexDatabase);
      expect(db.dialect).to.equal(c.dialect);
      const knexDb = db as KnexDatabase;
      expect(knexDb.tables.users).to.equal('pd_users');
      expect(knexDb.loginCaseInsensitive).to.equal(false);
      expect(knexDb.location).to.not.contain('s3cret');
    } finally {
      await db.close();
    }
  });

  it(`stops at register time when database_url is not a ${c.product} URL`, async () => {
    const manifest = await loadPlugin(c.plugin, 'db', defaultPluginSearch());
    const options = validateOptions([], [...CORE_OPTION_SPECS, ...(manifest.options ?? [])]);
    let err: unknown;
    try {
      await manifest.register(c.root.createChildContainer(), options);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ConfigError);
    expect((err as Error).message).to.match(new RegExp(`database_url.*${c.scheme.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
}
