/**
 * @packageDocumentation
 * db-postgres: the user database on a PostgreSQL server (pg).
 */
import { PLUGIN_API_VERSION, type OptionSpec, type PluginManifest } from '@pigeondeliver/core';
import { POSTGRES_OPTIONS } from './postgres-options.js';
import { register } from './register.js';

export { createPostgresDatabase, openPostgresDatabase } from './postgres-database.js';
export { postgresUrl } from './postgres-url.js';
export { POSTGRES_OPTIONS } from './postgres-options.js';
export { register } from './register.js';

/** The plugin manifest the core loader reads (`database = db-postgres`). */
const manifest: PluginManifest = {
  apiVersion: PLUGIN_API_VERSION,
  kind: 'db',
  name: 'db-postgres',
  options: Object.values(POSTGRES_OPTIONS).filter((o): o is OptionSpec<unknown> => o !== undefined),
  optionPrefixes: ['postgres_'],
  register,
};
export default manifest;
