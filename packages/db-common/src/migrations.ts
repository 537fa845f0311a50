/**
 * The schema, as knex migrations kept in code (a custom migration source, not files on disk), so the
 * compiled package migrates from wherever it is installed. Migrations are append-only: never edit one
 * that has shipped, add the next number.
 */
import type { Knex } from 'knex';
import type { Dialect } from './dialect.js';
import { NODE_COLUMN_SIZES } from './node-row.js';
import type { TableNames } from './table-names.js';
import { USER_COLUMN_SIZES } from './user-row.js';

/** One schema step. */
export interface SchemaMigration {
  /** Stored in the migrations table; sorts in application order. */
  readonly name: string;
  up(knex: Knex, tables: TableNames, dialect: Dialect): Promise<void>;
  down(knex: Knex, tables: TableNames, dialect: Dialect): Promise<void>;
}

/** Millisecond timestamps on every dialect (PostgreSQL timestamptz(3), MySQL datetime(3)). */
function timestamp(t: Knex.CreateTableBuilder, column: string, nullable: boolean): void {
  const c = t.datetime(column, { precision: 3 });
  if (nullable) c.nullable();
  else c.notNullable();
}

/** MySQL only: utf8mb4 tables, and a binary collation where the comparison must be exact. */
function mysqlTable(t: Knex.CreateTableBuilder, dialect: Dialect): void {
  if (dialect === 'mysql') {
    t.engine('InnoDB');
    t.charset('utf8mb4');
    t.collate('utf8mb4_unicode_ci');
  }
}

/** The migrations, in order. */
export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = [
  {
    name: '0001_create_users',
    async up(knex, tables, dialect) {
      await knex.schema.createTable(tables.users, (t) => {
        mysqlTable(t, dialect);
        t.increments('id').primary();
        t.string('login', USER_COLUMN_SIZES.login).notNullable();
        // The comparison key (lower-cased when logins are case-insensitive): exact, binary match on
        // every dialect, so MySQL's case-insensitive default collation must not apply to it.
        const key = t.string('login_key', USER_COLUMN_SIZES.login).notNullable();
        if (dialect === 'mysql') key.collate('utf8mb4_bin');
        t.unique(['login_key'], { indexName: `${tables.users}_login_key_unique` });
        t.string('password', USER_COLUMN_SIZES.password).nullable();
        t.integer('uid').nullable();
        t.integer('gid').nullable();
        t.string('home', USER_COLUMN_SIZES.home).nullable();
        t.string('mail', USER_COLUMN_SIZES.mail).nullable();
        t.string('host', USER_COLUMN_SIZES.host).nullable();
        t.string('backend', USER_COLUMN_SIZES.backend).nullable();
        t.bigInteger('quota_bytes').nullable();
        t.boolean('enabled').notNullable().defaultTo(true);
        t.boolean('allow_imap').notNullable().defaultTo(true);
        t.boolean('allow_pop3').notNullable().defaultTo(true);
        t.integer('version').notNullable().defaultTo(1);
        timestamp(t, 'created_at', false);
        timestamp(t, 'updated_at', false);
        timestamp(t, 'last_login_at', true);
        t.string('last_login_ip', USER_COLUMN_SIZES.lastLoginIp).nullable();
      });
    },
    async down(knex, tables) {
      await knex.schema.dropTableIfExists(tables.users);
    },
  },
  {
    name: '0002_create_nodes',
    async up(knex, tables, dialect) {
      await knex.schema.createTable(tables.nodes, (t) => {
        mysqlTable(t, dialect);
        const name = t.string('name', NODE_COLUMN_SIZES.name).notNullable().primary();
        if (dialect === 'mysql') name.collate('utf8mb4_bin');
        t.string('address', NODE_COLUMN_SIZES.address).notNullable();
        t.integer('imap_port').notNullable();
        t.integer('pop3_port').notNullable();
        t.integer('handoff_port').notNullable();
        t.string('public_key', NODE_COLUMN_SIZES.publicKey).nullable();
        t.integer('version').notNullable().defaultTo(1);
        timestamp(t, 'created_at', false);
        timestamp(t, 'updated_at', false);
      });
    },
    async down(knex, tables) {
      await knex.schema.dropTableIfExists(tables.nodes);
    },
  },
];

/** knex's migration source over {@link SCHEMA_MIGRATIONS}, bound to one set of table names. */
export class CodeMigrationSource implements Knex.MigrationSource<SchemaMigration> {
  constructor(
    private readonly tables: TableNames,
    private readonly dialect: Dialect,
    private readonly migrations: readonly SchemaMigration[] = SCHEMA_MIGRATIONS,
  ) {}

  getMigrations(): Promise<SchemaMigration[]> {
    return Promise.resolve([...this.migrations]);
  }

  getMigrationName(migration: SchemaMigration): string {
    return migration.name;
  }

  getMigration(migration: SchemaMigration): Promise<Knex.Migration> {
    return Promise.resolve({
      up: (knex: Knex) => migration.up(knex, this.tables, this.dialect),
      down: (knex: Knex) => migration.down(knex, this.tables, this.dialect),
    });
  }
}
