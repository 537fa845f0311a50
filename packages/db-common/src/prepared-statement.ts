/**
 * The login path's statements, compiled once: knex builds the SQL the first time only, and on SQLite
 * the driver's prepared statement is kept per connection, so a lookup is one better-sqlite3 `get()`
 * and the last-login update one `run()`, instead of knex's query builder, compiler, runner and a
 * `prepare()` per call (about a fifth of a worker's CPU per login in the bench profiles,
 * docs/performance.md). Other dialects run the compiled SQL through `knex.raw`.
 */
import type { Knex } from 'knex';

/** A statement whose SQL is fixed and whose values are bound per call. */
export interface PreparedStatement {
  /** Runs a SELECT with `values` in place of the placeholders; the first row, or undefined. */
  first(k: Knex, values: readonly unknown[]): Promise<Record<string, unknown> | undefined>;
  /** Runs an INSERT/UPDATE/DELETE with `values` in place of the placeholders. */
  run(k: Knex, values: readonly unknown[]): Promise<void>;
  /** Runs it once per entry of `rows`, all in one transaction (one commit for the lot). */
  runMany(k: Knex, rows: readonly (readonly unknown[])[]): Promise<void>;
}

/** The part of better-sqlite3 we use. */
interface SqliteStatement {
  get(...bindings: unknown[]): unknown;
  run(...bindings: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  /** better-sqlite3: `fn` wrapped in BEGIN/COMMIT (ROLLBACK when it throws). */
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  /** False once the pool destroyed the connection. */
  readonly open?: boolean;
}

/** A knex client's pool and event methods (not in knex's public typings). */
interface KnexClientInternals {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
  emit(event: string, query: object): void;
  /** tarn's pool, once created. */
  readonly pool?: { numUsed(): number; numPendingAcquires(): number };
}

/** Marks the i-th varying value while the SQL is compiled. */
const placeholder = (i: number): string => `\u0000pigeondeliver-value-${i}\u0000`;

/** better-sqlite3 binds numbers, strings, bigints, buffers and null: dates and booleans as knex's dialect converts them. */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value === undefined ? null : value;
}

/** The first row of a `knex.raw` result, whatever the driver's shape (pg: `.rows`, mysql2: `[rows, fields]`). */
function firstRow(result: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(result)) {
    const rows: unknown = Array.isArray(result[0]) ? result[0] : result;
    return (rows as Record<string, unknown>[])[0];
  }
  return (result as { rows?: Record<string, unknown>[] } | undefined)?.rows?.[0];
}

/**
 * Builds a {@link PreparedStatement}: `build` receives one placeholder per varying value (`count` of
 * them) and returns the query built with them, e.g.
 * `(k, [key]) => k(table).select(cols).where('login_key', key)`. Leave out knex's `.first()` on a unique
 * key: its bound `LIMIT ?` makes SQLite re-prepare the statement on every call.
 */
export function preparedStatement(sqlite: boolean, count: number, build: (k: Knex, values: readonly string[]) => Knex.QueryBuilder): PreparedStatement {
  const marks = Array.from({ length: count }, (_, i) => placeholder(i));
  let compiled: { readonly k: Knex; readonly sql: string; readonly slots: readonly (number | { readonly fixed: unknown })[] } | undefined;
  const statements = new WeakMap<object, SqliteStatement>();
  /** SQLite's one connection, as last acquired from knex's pool. */
  let known: (SqliteConnection & object) | undefined;

  const compile = (k: Knex) => {
    if (compiled?.k !== k) {
      // toSQL() keeps knex's `?` placeholders: what knex.raw takes, and SQLite's native form too.
      const sql = build(k, marks).toSQL();
      const slots = sql.bindings.map((b) => {
        const i = marks.indexOf(b as string);
        return i >= 0 ? i : { fixed: b };
      });
      compiled = { k, sql: sql.sql, slots };
    }
    return compiled;
  };
  const bind = (k: Knex, values: readonly unknown[]): { sql: string; bindings: unknown[] } => {
    const { sql, slots } = compile(k);
    return { sql, bindings: slots.map((s) => (typeof s === 'number' ? values[s] : s.fixed)) };
  };
  const onSqlite = async <T>(k: Knex, sql: string, use: (statement: SqliteStatement, connection: SqliteConnection) => T): Promise<T> => {
    const client = k.client as unknown as KnexClientInternals;
    // knex's own runner emits 'query' (without values here): debugging listeners still see it.
    client.emit('query', { method: 'prepared', sql, bindings: [], __knexUid: 'prepared' });
    const run = (connection: SqliteConnection & object): T => {
      let statement = statements.get(connection);
      if (!statement) {
        statement = connection.prepare(sql);
        statements.set(connection, statement);
      }
      return use(statement, connection);
    };
    // better-sqlite3 is synchronous: while nobody holds the pool's one connection (no knex query or
    // transaction in progress, nobody waiting), a statement on it runs and ends before anything else
    // can use it, so the pool's acquire/release round (two promise chains per statement) is skipped.
    const pool = client.pool;
    if (known?.open === true && pool && pool.numUsed() === 0 && pool.numPendingAcquires() === 0) return run(known);
    const connection = (await client.acquireConnection()) as SqliteConnection & object;
    known = connection;
    try {
      return run(connection);
    } finally {
      await client.releaseConnection(connection);
    }
  };

  return {
    async first(k, values) {
      const { sql, bindings } = bind(k, values);
      if (!sqlite) return firstRow(await k.raw(sql, bindings as Knex.RawBinding[]));
      return onSqlite(k, sql, (s) => s.get(...bindings.map(sqliteValue)) as Record<string, unknown> | undefined);
    },
    async run(k, values) {
      const { sql, bindings } = bind(k, values);
      if (!sqlite) {
        await k.raw(sql, bindings as Knex.RawBinding[]);
        return;
      }
      await onSqlite(k, sql, (s) => s.run(...bindings.map(sqliteValue)));
    },
    async runMany(k, rows) {
      if (rows.length === 0) return;
      const all = rows.map((values) => bind(k, values));
      const sql = all[0]!.sql;
      if (!sqlite) {
        await k.transaction(async (trx) => {
          for (const { bindings } of all) await trx.raw(sql, bindings as Knex.RawBinding[]);
        });
        return;
      }
      await onSqlite(k, sql, (s, connection) =>
        connection.transaction(() => {
          for (const { bindings } of all) s.run(...bindings.map(sqliteValue));
        })(),
      );
    },
  };
}
