import { dialectOptions } from '@pigeondeliver/db-common';

/**
 * Options of db-sqlite (prefix `sqlite_`). The file itself is the core option `database_url`
 * (a path, or `:memory:`).
 */
export const SQLITE_OPTIONS = dialectOptions('sqlite_', true, false);
