/**
 * The embedded default: a SQLite file through better-sqlite3. It "just works": the folder is created,
 * the file is created and migrated on first use, WAL lets readers (logins) run beside a writer
 * (pd-admin), and a busy timeout waits for the other processes' locks instead of failing.
 *
 * Durability: WAL with `synchronous = NORMAL` (SQLite's recommendation for WAL), so a commit does not
 * wait for fsync(2); the last-login stamp written at every login cost 0.35 ms of blocked event loop
 * with FULL, 0.03 ms with NORMAL. What a process committed becomes durable at the next checkpoint,
 * and the close of a process that changed users or nodes (or migrated) runs a TRUNCATE checkpoint (it
 * syncs the WAL, writes it back into the database file, syncs that and empties the WAL): a pd-admin
 * command that returned has its change on disk, while a login process's exit costs nothing. A power
 * loss may forget the newest login stamps, never a user change that pd-admin reported done, and never
 * leaves the file inconsistent.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KnexDatabase, type DatabaseOpenOptions } from '@pigeondeliver/db-common';
import { SQLITE_MEMORY, sqlitePath } from './sqlite-path.js';

/** The part of a better-sqlite3 connection we use. */
interface SqliteConnection {
  pragma(source: string): unknown;
}

/** Creates the database object for `path` (a file path or `:memory:`); nothing is opened until first use. */
export function createSqliteDatabase(path: string, options: DatabaseOpenOptions = {}): KnexDatabase {
  const filename = sqlitePath(path);
  const memory = filename === SQLITE_MEMORY;
  const timeoutMs = options.timeoutMs;
  return new KnexDatabase({
    dialect: 'sqlite',
    location: filename,
    connection: { filename },
    loadDriver: async () => (await import('better-sqlite3')).default,
    // One connection per process: better-sqlite3 is synchronous, and `:memory:` is per connection.
    pool: { min: 1, max: 1 },
    tablePrefix: options.tablePrefix,
    loginCaseInsensitive: options.loginCaseInsensitive,
    timeoutMs,
    autoMigrate: options.autoMigrate ?? true,
    logger: options.logger,
    prepare: memory ? undefined : async () => void (await mkdir(dirname(filename), { recursive: true })),
    onConnection: (raw) => {
      const conn = raw as SqliteConnection;
      // busy_timeout first: switching to WAL needs a lock another process may hold for a moment.
      conn.pragma(`busy_timeout = ${Math.max(1, Math.round(timeoutMs ?? 5000))}`);
      if (!memory) conn.pragma('journal_mode = WAL');
      if (!memory) conn.pragma('synchronous = NORMAL');
      conn.pragma('foreign_keys = ON');
    },
    closeStatements: memory ? [] : ['PRAGMA wal_checkpoint(TRUNCATE)'],
  });
}

/** Creates and connects the database (migrating it unless `autoMigrate: false`); errors surface here. */
export async function openSqliteDatabase(path: string, options: DatabaseOpenOptions = {}): Promise<KnexDatabase> {
  return createSqliteDatabase(path, options).connectOrClose();
}
