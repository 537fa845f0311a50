import { CORE_OPTIONS, LIMIT_OPTIONS, type DependencyContainer, type ResolvedOptions } from '@pigeondeliver/core';
import { registerDatabase } from '@pigeondeliver/db-common';
import { createMysqlDatabase } from './mysql-database.js';
import { MYSQL_OPTIONS } from './mysql-options.js';
import { mysqlUrl } from './mysql-url.js';

/** Registers IDatabase: the MySQL server named by `database_url`, connected on first use. */
export function register(container: DependencyContainer, options: ResolvedOptions): void {
  const url = mysqlUrl(options.get(CORE_OPTIONS.databaseUrl)); // a bad value stops startup here
  const settings = {
    tablePrefix: options.get(MYSQL_OPTIONS.tablePrefix),
    autoMigrate: options.get(MYSQL_OPTIONS.autoMigrate),
    poolSize: MYSQL_OPTIONS.poolSize ? options.get(MYSQL_OPTIONS.poolSize) : undefined,
    loginCaseInsensitive: options.get(CORE_OPTIONS.loginCaseInsensitive),
    timeoutMs: options.get(LIMIT_OPTIONS.databaseTimeout),
  };
  registerDatabase(container, (logger) => createMysqlDatabase(url, { ...settings, logger }));
}
