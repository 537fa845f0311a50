import { CORE_OPTIONS, LIMIT_OPTIONS, type DependencyContainer, type ResolvedOptions } from '@pigeondeliver/core';
import { registerDatabase } from '@pigeondeliver/db-common';
import { createPostgresDatabase } from './postgres-database.js';
import { POSTGRES_OPTIONS } from './postgres-options.js';
import { postgresUrl } from './postgres-url.js';

/** Registers IDatabase: the PostgreSQL server named by `database_url`, connected on first use. */
export function register(container: DependencyContainer, options: ResolvedOptions): void {
  const url = postgresUrl(options.get(CORE_OPTIONS.databaseUrl)); // a bad value stops startup here
  const settings = {
    tablePrefix: options.get(POSTGRES_OPTIONS.tablePrefix),
    autoMigrate: options.get(POSTGRES_OPTIONS.autoMigrate),
    poolSize: POSTGRES_OPTIONS.poolSize ? options.get(POSTGRES_OPTIONS.poolSize) : undefined,
    loginCaseInsensitive: options.get(CORE_OPTIONS.loginCaseInsensitive),
    timeoutMs: options.get(LIMIT_OPTIONS.databaseTimeout),
  };
  registerDatabase(container, (logger) => createPostgresDatabase(url, { ...settings, logger }));
}
