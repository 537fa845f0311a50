/**
 * @packageDocumentation
 * db-sqlite: the embedded SQLite user database (better-sqlite3), the default `database`.
 */
import { PLUGIN_API_VERSION, type OptionSpec, type PluginManifest } from '@pigeondeliver/core';
import { register } from './register.js';
import { SQLITE_OPTIONS } from './sqlite-options.js';

export { createSqliteDatabase, openSqliteDatabase } from './sqlite-database.js';
export { sqlitePath, SQLITE_MEMORY } from './sqlite-path.js';
export { SQLITE_OPTIONS } from './sqlite-options.js';
export { register } from './register.js';

/** The plugin manifest the core loader reads (`database = db-sqlite`). */
const manifest: PluginManifest = {
  apiVersion: PLUGIN_API_VERSION,
  kind: 'db',
  name: 'db-sqlite',
  options: Object.values(SQLITE_OPTIONS).filter((o): o is OptionSpec<unknown> => o !== undefined),
  optionPrefixes: ['sqlite_'],
  register,
};
export default manifest;
