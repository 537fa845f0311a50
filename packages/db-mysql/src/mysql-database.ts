/** MySQL and MariaDB through mysql2: the same schema and queries as every dialect, a small pool per process. */
import { KnexDatabase, redactUrl, type DatabaseOpenOptions } from '@pigeondeliver/db-common';
import { mysqlUrl } from './mysql-url.js';

/** Creates the database object for `url`; nothing connects until first use. */
export function createMysqlDatabase(url: string, options: DatabaseOpenOptions = {}): KnexDatabase {
  const uri = mysqlUrl(url);
  const timeoutMs = Math.max(1, Math.round(options.timeoutMs ?? 5000));
  return new KnexDatabase({
    dialect: 'mysql',
    location: redactUrl(uri),
    connection: {
      uri,
      connectTimeout: timeoutMs,
      // DATETIME has no zone: read and write it as UTC, whatever the server's or this host's zone.
      timezone: 'Z',
      // BIGINT (quota) as a number when it fits, as a string otherwise (decoded and range-checked later).
      supportBigNumbers: true,
    },
    loadDriver: async () => (await import('mysql2')).default,
    pool: { min: 0, max: options.poolSize ?? 4 },
    tablePrefix: options.tablePrefix,
    loginCaseInsensitive: options.loginCaseInsensitive,
    timeoutMs,
    autoMigrate: options.autoMigrate ?? false,
    logger: options.logger,
  });
}

/** Creates and connects the database (migrating it with `autoMigrate: true`); errors surface here. */
export async function openMysqlDatabase(url: string, options: DatabaseOpenOptions = {}): Promise<KnexDatabase> {
  return createMysqlDatabase(url, options).connectOrClose();
}
