/** The SQL dialects db-common supports; the value is also {@link IDatabase.dialect}. */
export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** knex's client implementation folder (`knex/lib/dialects/<folder>`) for each dialect's driver. */
export const KNEX_DIALECT_FOLDER: Readonly<Record<Dialect, string>> = {
  sqlite: 'better-sqlite3',
  postgres: 'postgres',
  mysql: 'mysql2',
};
