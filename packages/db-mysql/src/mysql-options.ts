import { dialectOptions } from '@pigeondeliver/db-common';

/**
 * Options of db-mysql (prefix `mysql_`). The server is the core option `database_url`
 * (`mysql://user[:password]@host:3306/database`, also `mariadb://`).
 */
export const MYSQL_OPTIONS = dialectOptions('mysql_', false, true);
