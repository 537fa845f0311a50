/** @packageDocumentation Dialect-neutral user database: knex schema, migrations, UserRepository and NodeRepository */
export {};
