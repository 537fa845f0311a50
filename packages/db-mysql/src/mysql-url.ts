import { ConfigError } from '@pigeondeliver/core';
import { redactUrl } from '@pigeondeliver/db-common';

/** Checks that `database_url` is a MySQL/MariaDB URL (`mysql://` or `mariadb://`). */
export function mysqlUrl(databaseUrl: string): string {
  const value = databaseUrl.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `database_url must be a MySQL URL such as mysql://user@127.0.0.1:3306/mail for database=db-mysql, got ${JSON.stringify(redactUrl(value))}`,
      'database_url',
    );
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new ConfigError(
      `database_url must start with mysql:// (or mariadb://) for database=db-mysql, got ${JSON.stringify(redactUrl(value))}`,
      'database_url',
    );
  }
  if (url.pathname.length <= 1) throw new ConfigError('database_url must name the database: mysql://user@host:3306/<database>', 'database_url');
  return value;
}
