/**
 * @packageDocumentation
 * db-mysql: the user database on a MySQL or MariaDB server (mysql2).
 */
import { PLUGIN_API_VERSION, type OptionSpec, type PluginManifest } from '@pigeondeliver/core';
import { MYSQL_OPTIONS } from './mysql-options.js';
import { register } from './register.js';

export { createMysqlDatabase, openMysqlDatabase } from './mysql-database.js';
export { mysqlUrl } from './mysql-url.js';
export { MYSQL_OPTIONS } from './mysql-options.js';
export { register } from './register.js';

/** The plugin manifest the core loader reads (`database = db-mysql`). */
const manifest: PluginManifest = {
  apiVersion: PLUGIN_API_VERSION,
  kind: 'db',
  name: 'db-mysql',
  options: Object.values(MYSQL_OPTIONS).filter((o): o is OptionSpec<unknown> => o !== undefined),
  optionPrefixes: ['mysql_'],
  register,
};
export default manifest;
