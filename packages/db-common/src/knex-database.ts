/**
 * {@link IDatabase} over knex: one class for every dialect; the `db-*` packages only say how to
 * connect. Connection is lazy (nothing is loaded or opened until the first query), failures are
 * retried on the next call (recovery is automatic), and every operation runs under the database
 * timeout so an outage is a prompt {@link DatabaseUnavailableError}, never "no such user".
 */
import { DatabaseUnavailableError, DEFAULT_LIMITS, PigeonError, type IDatabase, type Logger } from '@pigeondeliver/core';
import type { Knex } from 'knex';
import type { Dialect } from './dialect.js';
import { driverMessage, isMigrationRace, isUniqueViolation } from './driver-errors.js';
import { InvalidInputError } from './invalid-input-error.js';
import { createKnex } from './knex-client.js';
import type { KnexDatabaseSettings } from './knex-database-settings.js';
import { KnexNodeRepository } from './knex-node-repository.js';
import { KnexUserRepository } from './knex-user-repository.js';
import { CodeMigrationSource } from './migrations.js';
import type { QueryRunner } from './query-runner.js';
import { tableNames, type TableNames } from './table-names.js';

/** How many times a migration that raced with another process is retried (backoff 10 ms more each time: about 32 s in all, for DDL on a loaded server). */
const MIGRATION_RACE_RETRIES = 80;

/** Migration status: names applied and names still to apply. */
export interface MigrationStatus {
  readonly applied: string[];
  readonly pending: string[];
}

/** The database of one process. */
export class KnexDatabase implements IDatabase, QueryRunner {
  readonly dialect: Dialect;
  readonly tables: TableNames;
  readonly users: KnexUserRepository;
  readonly nodes: KnexNodeRepository;
  /** Where the database is (no password), for messages. */
  readonly location: string;
  readonly timeoutMs: number;
  readonly loginCaseInsensitive: boolean;

  private instance?: Promise<Knex>;
  private readiness?: Promise<Knex>;
  private closed = false;
  private readonly logger?: Logger;
  /** An operator's change (or a migration) was committed by this process: close makes it durable. */
  private changed = false;

  constructor(private readonly settings: KnexDatabaseSettings) {
    if (!Number.isFinite(settings.timeoutMs ?? 0) || (settings.timeoutMs ?? 1) <= 0) {
      throw new InvalidInputError(`database timeout must be a positive number of milliseconds, got ${String(settings.timeoutMs)}`);
    }
    this.dialect = settings.dialect;
    this.tables = tableNames(settings.tablePrefix ?? '');
    this.location = settings.location;
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_LIMITS.databaseTimeout;
    this.loginCaseInsensitive = settings.loginCaseInsensitive ?? true;
    this.logger = settings.logger;
    this.users = new KnexUserRepository(this, this.loginCaseInsensitive, this.logger);
    this.nodes = new KnexNodeRepository(this);
  }

  /** Connects (and migrates, with autoMigrate) now, so configuration errors surface at startup. */
  async connect(): Promise<void> {
    await this.query('connect', async (k) => {
      await k.raw('select 1'); // the pool is lazy: make one real round trip
    });
  }

  /** {@link connect}, closing the pools again when that fails; resolves this database. */
  async connectOrClose(): Promise<this> {
    try {
      await this.connect();
    } catch (e) {
      await this.close();
      throw e;
    }
    return this;
  }

  /** {@inheritDoc QueryRunner.change} */
  async change<T>(what: string, work: (knex: Knex) => Promise<T>): Promise<T> {
    this.changed = true;
    return this.query(what, work);
  }

  /** {@inheritDoc QueryRunner.query} */
  async query<T>(what: string, work: (knex: Knex) => Promise<T>): Promise<T> {
    try {
      return await this.withDeadline(what, (async () => work(await this.ready()))());
    } catch (e) {
      throw this.unavailable(what, e);
    }
  }

  /**
   * The knex instance (created on demand; its pool connects on the first query, and the schema is
   * not necessarily migrated): for maintenance commands and tests. The login path never needs it.
   */
  async knexInstance(): Promise<Knex> {
    try {
      return await this.withDeadline('connect', this.knex());
    } catch (e) {
      throw this.unavailable('connect', e);
    }
  }

  /** Brings the schema to the latest version; returns the migrations applied now (none when up to date). */
  async migrate(): Promise<string[]> {
    try {
      return await this.applyMigrations(await this.knex());
    } catch (e) {
      throw this.unavailable('migrate', e);
    }
  }

  /** Which migrations are applied and which are pending. */
  async migrationStatus(): Promise<MigrationStatus> {
    try {
      const [applied, pending] = (await (await this.knex()).migrate.list(this.migratorConfig())) as [{ name: string }[], { name: string }[]];
      return { applied: applied.map((m) => m.name), pending: pending.map((m) => m.name) };
    } catch (e) {
      throw this.unavailable('migration status', e);
    }
  }

  /**
   * Drops every table of this prefix, the migration bookkeeping included: for tests that made their
   * own tables, and for uninstalling. Never called by the login path.
   */
  async dropSchema(): Promise<void> {
    try {
      const k = await this.knex();
      this.readiness = undefined;
      for (const table of [this.tables.nodes, this.tables.users, `${this.tables.migrations}_lock`, this.tables.migrations]) {
        await k.schema.dropTableIfExists(table);
      }
    } catch (e) {
      throw this.unavailable('drop schema', e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Stamps waiting for their batch are written first, while the pool is still there (only if it
    // was ever opened: a database never used has none).
    if (this.instance) await this.users.flushLoginStamps();
    if (this.closed) return;
    this.closed = true;
    const pending = this.instance;
    this.instance = undefined;
    this.readiness = undefined;
    if (pending) {
      const k = await pending.catch(() => undefined);
      for (const sql of k && this.changed ? (this.settings.closeStatements ?? []) : []) {
        await k!.raw(sql).catch((e: unknown) => this.logger?.warn({ err: (e as Error).message, statement: sql }, 'closing the database: a final statement failed'));
      }
      await k?.destroy();
    }
  }

  private migratorConfig(): Knex.MigratorConfig {
    return { migrationSource: new CodeMigrationSource(this.tables, this.dialect), tableName: this.tables.migrations };
  }

  /**
   * Creates knex's migration lock table with exactly one row, race-free, before knex looks at it.
   * knex's own `_ensureTable` checks "no row yet" and inserts one without a key of its own, so two
   * processes migrating a fresh database at the same moment can both insert: with two rows its
   * `update ... where is_locked = 0` never changes exactly one row, every attempt fails with
   * "Migration table is already locked", and the lock rows stay set for good (seen on MariaDB under
   * load). Here the row has the fixed key 1: a second insert is a duplicate key, which we ignore.
   */
  private async ensureMigrationLockRow(k: Knex): Promise<void> {
    const lock = `${this.tables.migrations}_lock`;
    if (!(await k.schema.hasTable(lock))) {
      // knex's layout (increments 'index', integer 'is_locked'); a concurrent creation is a race the caller retries.
      await k.schema.createTable(lock, (t) => {
        t.increments('index').primary();
        t.integer('is_locked');
      });
    }
    const rows = (await k(lock).count({ n: '*' })) as { n: number | string }[];
    if (Number(rows[0]?.n ?? 0) > 0) return;
    try {
      await k(lock).insert({ index: 1, is_locked: 0 });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // the other process inserted the row first
    }
  }

  /** Runs pending migrations; if another process is migrating the same tables, waits for it. */
  private async applyMigrations(k: Knex): Promise<string[]> {
    const config = this.migratorConfig();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ensureMigrationLockRow(k);
        const [, pending] = (await k.migrate.list(config)) as [unknown[], unknown[]];
        if (pending.length === 0) return [];
        const [, log] = (await k.migrate.latest(config)) as [number, string[]];
        if (log.length > 0) this.logger?.info({ dialect: this.dialect, migrations: log }, 'database schema migrated');
        if (log.length > 0) this.changed = true;
        return log;
      } catch (e) {
        if (!isMigrationRace(e) || attempt >= MIGRATION_RACE_RETRIES) throw e;
        await new Promise((r) => setTimeout(r, 10 + 10 * attempt));
      }
    }
  }

  /** The knex instance, created once (lazily: knex and the driver load on first use). */
  private knex(): Promise<Knex> {
    if (this.closed) return Promise.reject(new DatabaseUnavailableError(`${this.dialect} database ${this.location} is closed`));
    this.instance ??= this.createInstance().catch((e: unknown) => {
      this.instance = undefined; // retried on the next call
      throw e;
    });
    return this.instance;
  }

  private async createInstance(): Promise<Knex> {
    await this.settings.prepare?.();
    const driver = await this.settings.loadDriver();
    const onConnection = this.settings.onConnection;
    const log = this.logger;
    return createKnex(this.dialect, driver, {
      connection: { ...this.settings.connection } as Knex.StaticConnectionConfig,
      pool: {
        min: this.settings.pool?.min ?? 0,
        max: this.settings.pool?.max ?? 4,
        acquireTimeoutMillis: this.timeoutMs,
        createTimeoutMillis: this.timeoutMs,
        ...(onConnection
          ? {
              afterCreate: (conn: unknown, done: (err: Error | null, conn: unknown) => void) => {
                Promise.resolve()
                  .then(() => onConnection(conn))
                  .then(() => done(null, conn), (err: Error) => done(err, conn));
              },
            }
          : {}),
      },
      acquireConnectionTimeout: this.timeoutMs,
      useNullAsDefault: this.dialect === 'sqlite',
      // Error messages carry the SQL with placeholders, never the bound values (password hashes).
      compileSqlOnError: false,
      log: {
        warn: (message: string) => log?.warn({ dialect: this.dialect }, String(message)),
        error: (message: string) => log?.error({ dialect: this.dialect }, String(message)),
        deprecate: (method: string, alternative: string) => log?.debug({ method, alternative }, 'knex deprecation'),
        debug: () => undefined,
      },
    });
  }

  /** The ready instance: connected and, with autoMigrate, migrated. Retried after a failure. */
  private ready(): Promise<Knex> {
    this.readiness ??= (async () => {
      const k = await this.knex();
      if (this.settings.autoMigrate) await this.applyMigrations(k);
      return k;
    })().catch((e: unknown) => {
      this.readiness = undefined;
      throw e;
    });
    return this.readiness;
  }

  private async withDeadline<T>(what: string, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DatabaseUnavailableError(`${this.dialect} database ${this.location}: ${what} timed out after ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Our own errors pass through; anything from knex or the driver is a temporary failure. */
  private unavailable(what: string, e: unknown): Error {
    if (e instanceof PigeonError) return e;
    return new DatabaseUnavailableError(`${this.dialect} database ${this.location}: ${what} failed: ${driverMessage(e)}`, { cause: e });
  }
}
