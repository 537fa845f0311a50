/**
 * Recognizing driver errors without importing the drivers: each reports a unique-key violation with
 * its own code (better-sqlite3 `SQLITE_CONSTRAINT_UNIQUE`/`_PRIMARYKEY`, PostgreSQL SQLSTATE `23505`,
 * MySQL/MariaDB `ER_DUP_ENTRY` = errno 1062).
 */

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

/** True when `err` is a unique or primary-key violation on any supported dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = field(err, 'code');
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505' ||
    code === 'ER_DUP_ENTRY' ||
    field(err, 'errno') === 1062
  );
}

/**
 * True when knex refused to migrate because another process holds the migration lock, or lost the
 * race to create the migration tables: the caller waits for the other process's migration.
 */
export function isMigrationRace(err: unknown): boolean {
  if (field(err, 'name') === 'MigrationLocked') return true;
  const message = String(field(err, 'message') ?? '');
  return isUniqueViolation(err) || /already exists|already locked/i.test(message) || field(err, 'code') === '42P07';
}

/** The driver's message, never longer than one line of a log. */
export function driverMessage(err: unknown): string {
  const message = field(err, 'message');
  const text = typeof message === 'string' && message.length > 0 ? message : String(err);
  return text.split('\n')[0]!.slice(0, 300);
}
