/** @packageDocumentation pd-admin: users, nodes, passwords, migrations, auth test */
export {};
