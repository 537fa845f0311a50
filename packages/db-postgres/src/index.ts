/** @packageDocumentation PostgreSQL user database (pg) */
export {};
