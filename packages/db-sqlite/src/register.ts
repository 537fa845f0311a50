import { CORE_OPTIONS, LIMIT_OPTIONS, type DependencyContainer, type ResolvedOptions } from '@pigeondeliver/core';
import { registerDatabase } from '@pigeondeliver/db-common';
import { SQLITE_OPTIONS } from './sqlite-options.js';
import { sqlitePath } from './sqlite-path.js';
import { createSqliteDatabase } from './sqlite-database.js';

/** Registers IDatabase: the SQLite file named by `database_url`, opened and migrated on first use. */
export function register(container: DependencyContainer, options: ResolvedOptions): void {
  const path = sqlitePath(options.get(CORE_OPTIONS.databaseUrl)); // a bad value stops startup here
  const settings = {
    tablePrefix: options.get(SQLITE_OPTIONS.tablePrefix),
    autoMigrate: options.get(SQLITE_OPTIONS.autoMigrate),
    loginCaseInsensitive: options.get(CORE_OPTIONS.loginCaseInsensitive),
    timeoutMs: options.get(LIMIT_OPTIONS.databaseTimeout),
  };
  registerDatabase(container, (logger) => createSqliteDatabase(path, { ...settings, logger }));
}
