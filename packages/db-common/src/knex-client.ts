/**
 * Builds the knex instance lazily (knex costs ~50 ms to load, which a per-connection launch pays only
 * when it really queries), with the driver handed in by the dialect package instead of knex's own
 * `require(driverName)`, which fails when npm did not hoist the driver next to knex.
 */
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { KNEX_DIALECT_FOLDER, type Dialect } from './dialect.js';

const requireFromHere = createRequire(import.meta.url);

/** The shape of knex's dialect client classes as far as we use them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mixin base: TypeScript requires `any[]` here
type ClientClass = new (...args: any[]) => object;

/** A knex client class for `dialect` that uses `driver` instead of requiring one. */
function clientWithDriver(dialect: Dialect, driver: unknown): ClientClass {
  const Base = requireFromHere(`knex/lib/dialects/${KNEX_DIALECT_FOLDER[dialect]}/index.js`) as ClientClass;
  return class DriverClient extends Base {
    _driver(): unknown {
      return driver;
    }
  };
}

/** Creates the knex instance for a dialect with its final config (client replaced by the driver-bound class). */
export async function createKnex(dialect: Dialect, driver: unknown, config: Omit<Knex.Config, 'client'>): Promise<Knex> {
  const { default: knexFactory } = await import('knex');
  return knexFactory({ ...config, client: clientWithDriver(dialect, driver) as unknown as typeof Knex.Client });
}
