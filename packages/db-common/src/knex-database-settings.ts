import type { Logger } from '@pigeondeliver/core';
import type { Dialect } from './dialect.js';

/**
 * How a `db-*` package describes its database to {@link KnexDatabase}. Nothing here is a knex type:
 * the dialect packages pass plain driver settings and a way to load their driver.
 */
export interface KnexDatabaseSettings {
  readonly dialect: Dialect;
  /**
   * Driver connection settings exactly as knex hands them to the driver (better-sqlite3:
   * `{ filename }`; pg: `{ connectionString, ... }`; mysql2: `{ uri, ... }`).
   */
  readonly connection: Readonly<Record<string, unknown>>;
  /**
   * Loads the driver module (`better-sqlite3`, `pg`, `mysql2`). The dialect package imports it itself,
   * so the driver is found from the package that depends on it and is loaded only on first use.
   */
  readonly loadDriver: () => Promise<unknown>;
  /** Where the database is, for messages: a path or a URL with any password removed. */
  readonly location: string;
  /** Prefix of every table name (see table-names.ts); default none. */
  readonly tablePrefix?: string;
  /** Compare logins without regard to case (core option login_case_insensitive); default true. */
  readonly loginCaseInsensitive?: boolean;
  /** Connect, acquire and per-operation timeout in milliseconds (core option database_timeout); default 5s. */
  readonly timeoutMs?: number;
  /** Bring the schema up to date on first use (the embedded SQLite default does); default false. */
  readonly autoMigrate?: boolean;
  /** Connection pool size; SQLite uses exactly one connection per process. */
  readonly pool?: { readonly min: number; readonly max: number };
  /** Runs on every new driver connection before use (SQLite pragmas). */
  readonly onConnection?: (connection: unknown) => void | Promise<void>;
  /**
   * Statements run once on close, before the pool is destroyed, when this process committed an
   * operator's change or a migration (QueryRunner.change; SQLite: the checkpoint that makes them
   * durable); not after logins alone. A failure is logged as a warning, the close goes on.
   */
  readonly closeStatements?: readonly string[];
  /** Runs once before the first connection (create the SQLite file's folder). */
  readonly prepare?: () => void | Promise<void>;
  /** Where recordLogin failures and knex warnings go; default nowhere. */
  readonly logger?: Logger;
}

/** What the `open*Database` factories of the dialect packages accept besides the location. */
export interface DatabaseOpenOptions {
  readonly tablePrefix?: string;
  readonly loginCaseInsensitive?: boolean;
  readonly timeoutMs?: number;
  readonly autoMigrate?: boolean;
  /** Most connections (server dialects only). */
  readonly poolSize?: number;
  readonly logger?: Logger;
}
