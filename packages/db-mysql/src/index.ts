/** @packageDocumentation MySQL and MariaDB user database (mysql2) */
export {};
