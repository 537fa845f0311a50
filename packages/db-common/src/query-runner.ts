import type { Knex } from 'knex';
import type { Dialect } from './dialect.js';
import type { TableNames } from './table-names.js';

/**
 * What a repository needs from its database: the table names and a way to run work against a ready
 * (connected, migrated) knex instance under the database timeout, with driver failures turned into
 * {@link DatabaseUnavailableError}.
 */
export interface QueryRunner {
  readonly dialect: Dialect;
  readonly tables: TableNames;
  /**
   * Runs `work` once the database is ready. `what` names the operation in error messages
   * (`user lookup`). Errors that are already PigeonErrors (conflict, stale, bad row) pass through.
   */
  query<T>(what: string, work: (knex: Knex) => Promise<T>): Promise<T>;
  /**
   * {@link query} for a change an operator made (a user or node added, changed or removed, not a
   * login stamp): the database then makes this process's commits durable when it closes
   * (KnexDatabaseSettings.closeStatements).
   */
  change<T>(what: string, work: (knex: Knex) => Promise<T>): Promise<T>;
}
