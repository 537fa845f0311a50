/**
 * @packageDocumentation
 * Dialect-neutral user database: knex schema and migrations (kept in code), the user and node
 * repositories and {@link KnexDatabase}, the one {@link IDatabase} implementation the `db-sqlite`,
 * `db-postgres` and `db-mysql` packages configure.
 */
export { KnexDatabase, type MigrationStatus } from './knex-database.js';
export type { KnexDatabaseSettings } from './knex-database-settings.js';
export type { Dialect } from './dialect.js';
export type { QueryRunner } from './query-runner.js';
export { KnexUserRepository } from './knex-user-repository.js';
export { KnexNodeRepository } from './knex-node-repository.js';
export { SCHEMA_MIGRATIONS, CodeMigrationSource, type SchemaMigration } from './migrations.js';
export { tableNames, type TableNames } from './table-names.js';
export { checkLogin, loginKey, loginProblem, MAX_LOGIN_LENGTH } from './login-key.js';
export { InvalidInputError } from './invalid-input-error.js';
export { isUniqueViolation } from './driver-errors.js';
export { USER_COLUMNS, MAX_ID } from './user-row.js';
export { NODE_COLUMNS } from './node-row.js';
export { dialectOptions, type DialectOptions } from './dialect-options.js';
export { redactUrl } from './redact-url.js';
export type { DatabaseOpenOptions } from './knex-database-settings.js';
export { registerDatabase } from './register-database.js';
export { LoginStampBatcher, STAMP_BATCH_MAX, STAMP_WINDOW_MS, type LoginStamp } from './login-stamps.js';
