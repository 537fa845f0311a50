/**
 * The options every `db-*` plugin declares under its own prefix (`sqlite_`, `postgres_`, `mysql_`),
 * made here so the three packages name and parse them identically.
 */
import { boolOption, intOption, stringOption, type OptionSpec } from '@pigeondeliver/core';
import { tableNames } from './table-names.js';

/** The per-dialect option specs. */
export interface DialectOptions {
  /** `<prefix>table_prefix`: prefix of every table name (default none). */
  readonly tablePrefix: OptionSpec<string>;
  /** `<prefix>auto_migrate`: migrate the schema on first use. */
  readonly autoMigrate: OptionSpec<boolean>;
  /** `<prefix>pool_size`: most connections a process opens (absent for SQLite: always one). */
  readonly poolSize?: OptionSpec<number>;
}

/** Builds the option specs for `prefix` (`postgres_`), with the dialect's auto-migrate default. */
export function dialectOptions(prefix: string, autoMigrateDefault: boolean, pooled: boolean): DialectOptions {
  const tablePrefix: OptionSpec<string> = {
    ...stringOption(`${prefix}table_prefix`, 'prefix of every table name, to share one database between installations', ''),
    parse: (raw) => tableNames(raw.trim()).prefix,
  };
  return {
    tablePrefix,
    autoMigrate: boolOption(`${prefix}auto_migrate`, 'bring the schema up to date on first use (otherwise: pd-admin migrate)', autoMigrateDefault),
    ...(pooled ? { poolSize: intOption(`${prefix}pool_size`, 'most database connections one process opens', 4, { min: 1, max: 100 }) } : {}),
  };
}
