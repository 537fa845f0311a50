/**
 * One session on stdin/stdout: build the application (core's createApplication loads the login
 * service, database and backends by name), drop the effective uid when root, wrap fd 0/1 and run the
 * login service. Resolves with the exit code once the connection is closed or handed over (a relayed
 * TLS session keeps the process until it ends).
 */
import { ConfigError, CORE_OPTIONS, createApplication, dropPrivileges, NetworkSet, newSessionId, resolveServiceUser, type Application } from '@pigeondeliver/core';
import { addressesFromEnvironment } from './client-address.js';
import { StdioConnection, stdioKind } from './stdio-connection.js';
import { STDIO_OPTIONS, STDIO_OPTION_SPECS } from './stdio-options.js';

/** The program name. */
export const PROGRAM = 'pd-forker-stdio';

/** Runs one session; see the file comment. */
export async function runStdio(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const app = await createApplication({ argv, program: PROGRAM, extraOptions: STDIO_OPTION_SPECS, login: true, env });
  dropRootIfNeeded(app);
  let trusted: NetworkSet;
  try {
    trusted = new NetworkSet(app.options.get(CORE_OPTIONS.trustedNetworks));
  } catch (e) {
    throw new ConfigError(`bad value for trusted_networks: ${(e as Error).message}`, 'trusted_networks');
  }
  const sessionId = newSessionId();
  const found = addressesFromEnvironment(env);
  const conn = new StdioConnection({
    sessionId,
    remote: found.remote,
    local: found.local,
    trusted: (a) => trusted.contains(a),
    log: app.logger.child({ session: sessionId }),
    kind: stdioKind(),
  });
  conn.log.info({ remote: `${conn.remote.address}:${conn.remote.port}`, addressFrom: conn.socket ? 'socket' : found.source ?? 'unknown', socket: conn.socket !== undefined }, 'connect');
  conn.stream.on('error', (e) => conn.log.debug({ err: e.message }, 'client stream error'));
  try {
    await app.loginService!.handle(conn);
  } finally {
    await app.close();
  }
  // The session is over when the stream closes, or when our side finished writing (the server said
  // goodbye and ended its output) while the client keeps its end open: then let go of fd 0 too.
  const stream = conn.stream;
  if (!stream.destroyed && !stream.writableFinished) {
    await new Promise<void>((resolve) => {
      stream.once('close', () => resolve());
      stream.once('finish', () => resolve());
    });
  }
  if (!stream.destroyed && stream.writableFinished) conn.close();
  return 0;
}

/** As root, parse the client with the effective uid of stdio_user (DESIGN.md "Privileges"). */
function dropRootIfNeeded(app: Application): void {
  if (!process.geteuid || process.geteuid() !== 0) return;
  const user = resolveServiceUser(app.options.get(STDIO_OPTIONS.user).trim() || 'nobody', 'stdio_user');
  dropPrivileges(user.uid, user.gid);
}
