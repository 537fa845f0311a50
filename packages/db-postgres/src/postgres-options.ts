import { dialectOptions } from '@pigeondeliver/db-common';

/**
 * Options of db-postgres (prefix `postgres_`). The server is the core option `database_url`
 * (`postgres://user[:password]@host:5432/database`).
 */
export const POSTGRES_OPTIONS = dialectOptions('postgres_', false, true);
