import { ConfigError } from '@pigeondeliver/core';
import { redactUrl } from '@pigeondeliver/db-common';

/** Checks that `database_url` is a PostgreSQL URL (`postgres://` or `postgresql://`). */
export function postgresUrl(databaseUrl: string): string {
  const value = databaseUrl.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `database_url must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/mail for database=db-postgres, got ${JSON.stringify(redactUrl(value))}`,
      'database_url',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(
      `database_url must start with postgres:// for database=db-postgres, got ${JSON.stringify(redactUrl(value))}`,
      'database_url',
    );
  }
  return value;
}
