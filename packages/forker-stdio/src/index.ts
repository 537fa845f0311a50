/**
 * @packageDocumentation
 * pd-forker-stdio: one session on stdin/stdout. The `bin` entry runs it; the pieces are exported for
 * tests and other forkers' reuse by name.
 */
export { addressesFromEnvironment, type EnvironmentAddresses } from './client-address.js';
export { StdioConnection, stdioKind, type StdioConnectionSettings, type StdioKind } from './stdio-connection.js';
export { STDIO_OPTIONS, STDIO_OPTION_SPECS } from './stdio-options.js';
export { runStdio, PROGRAM } from './run-stdio.js';
