/** @packageDocumentation Embedded SQLite user database (better-sqlite3), the default */
export {};
