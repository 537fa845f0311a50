/** PostgreSQL through pg: the same schema and queries as every dialect, a small pool per process. */
import { KnexDatabase, redactUrl, type DatabaseOpenOptions } from '@pigeondeliver/db-common';
import { postgresUrl } from './postgres-url.js';

/** Creates the database object for `url`; nothing connects until first use. */
export function createPostgresDatabase(url: string, options: DatabaseOpenOptions = {}): KnexDatabase {
  const connectionString = postgresUrl(url);
  const timeoutMs = Math.max(1, Math.round(options.timeoutMs ?? 5000));
  return new KnexDatabase({
    dialect: 'postgres',
    location: redactUrl(connectionString),
    connection: {
      connectionString,
      connectionTimeoutMillis: timeoutMs,
      // Client-side limit (a hung server) and server-side limit (a slow query), both the database timeout.
      query_timeout: timeoutMs,
      statement_timeout: timeoutMs,
      application_name: 'pigeondeliver',
    },
    loadDriver: async () => (await import('pg')).default,
    pool: { min: 0, max: options.poolSize ?? 4 },
    tablePrefix: options.tablePrefix,
    loginCaseInsensitive: options.loginCaseInsensitive,
    timeoutMs,
    autoMigrate: options.autoMigrate ?? false,
    logger: options.logger,
  });
}

/** Creates and connects the database (migrating it with `autoMigrate: true`); errors surface here. */
export async function openPostgresDatabase(url: string, options: DatabaseOpenOptions = {}): Promise<KnexDatabase> {
  return createPostgresDatabase(url, options).connectOrClose();
}
