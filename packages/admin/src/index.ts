/**
 * @packageDocumentation
 * pd-admin: users, passwords, migrations and authentication checks against the shared database. The
 * program is `dist/bin/pd-admin.js`; these exports let tests and other tools run it in-process.
 */
export { runAdmin, type AdminStreams } from './cli.js';
export { userChangesFromFlags, UserFlagError, type UserFlags } from './user-options.js';
export { formatUser, formatUserTable, passwordScheme, userToJson } from './user-format.js';
export { readPassword, PasswordInputError, MAX_PASSWORD_INPUT } from './password-input.js';
