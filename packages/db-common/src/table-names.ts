/**
 * The names of our tables, derived from one configurable prefix. A prefix lets several installations
 * (or test runs) share one database without colliding; it is the one isolation mechanism on every
 * dialect (SQLite, PostgreSQL, MySQL), so the queries stay dialect-neutral.
 */
import { InvalidInputError } from './invalid-input-error.js';

/** The physical names of the tables the repositories use. */
export interface TableNames {
  /** The prefix every name below starts with (may be empty). */
  readonly prefix: string;
  readonly users: string;
  readonly nodes: string;
  /** knex's migration bookkeeping table (its lock table is this name + `_lock`). */
  readonly migrations: string;
}

/**
 * A prefix is an SQL identifier start: a letter or underscore, then letters, digits and underscores,
 * at most 32 characters, so the longest derived name (`<prefix>knex_migrations_lock`) stays under
 * PostgreSQL's 63 and MySQL's 64 character limits and needs no quoting anywhere.
 */
const PREFIX_PATTERN = /^(?:[A-Za-z_][A-Za-z0-9_]{0,31})?$/;

/** Builds the table names for `prefix`; throws {@link InvalidInputError} for an unusable prefix. */
export function tableNames(prefix = ''): TableNames {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new InvalidInputError(
      `table prefix "${prefix}" is not usable: use at most 32 letters, digits and underscores, not starting with a digit`,
    );
  }
  return { prefix, users: `${prefix}users`, nodes: `${prefix}nodes`, migrations: `${prefix}knex_migrations` };
}
