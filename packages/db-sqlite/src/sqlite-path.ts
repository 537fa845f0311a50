import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@pigeondeliver/core';

/** The in-memory database: private to one connection, gone when it closes (tests). */
export const SQLITE_MEMORY = ':memory:';

/**
 * Reads `database_url` for SQLite: a file path (made absolute against the working directory), a
 * `file:` URL, or `:memory:`. A server URL is refused with the option that fixes it.
 */
export function sqlitePath(databaseUrl: string): string {
  const value = databaseUrl.trim();
  if (value === '') throw new ConfigError('database_url is empty: give the SQLite file path', 'database_url');
  if (value === SQLITE_MEMORY) return value;
  if (value.startsWith('file:')) {
    try {
      return fileURLToPath(value);
    } catch (e) {
      throw new ConfigError(`database_url ${value} is not a usable file: URL: ${(e as Error).message}`, 'database_url');
    }
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    throw new ConfigError(
      `database_url is a ${scheme[1]}:// URL, but database=db-sqlite expects a file path; ` +
        'select the matching plugin (database=db-postgres or database=db-mysql) or give a path',
      'database_url',
    );
  }
  if (value.includes('\u0000')) throw new ConfigError('database_url contains a NUL character', 'database_url');
  return resolve(value);
}
