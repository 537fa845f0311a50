/**
 * A private, migrated SQLite `:memory:` user database for other packages' tests: real queries, no
 * files, gone when closed. Close it in `after`/`afterEach`.
 */
import type { KnexDatabase } from '@pigeondeliver/db-common';
import { openSqliteDatabase } from '@pigeondeliver/db-sqlite';

/** Settings of {@link createMemoryDatabase}. */
export interface MemoryDatabaseOptions {
  /** Compare logins without regard to case (default true, like the core option). */
  readonly loginCaseInsensitive?: boolean;
  /** Database timeout in milliseconds (default 5000). */
  readonly timeoutMs?: number;
}

/** Opens a fresh in-memory database with the schema in place. */
export function createMemoryDatabase(options: MemoryDatabaseOptions = {}): Promise<KnexDatabase> {
  return openSqliteDatabase(':memory:', { ...options, autoMigrate: true });
}
