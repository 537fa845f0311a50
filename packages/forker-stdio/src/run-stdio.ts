/**
 * One session on stdin/stdout, greeting first (docs/architecture.md "Greeting first"): read the raw
 * options, wrap fd 0/1, write the login service's greeting from its light greeter, and only then load
 * the application (core's createApplication: login service, database and backends by name) while the
 * client reads and types; its input waits in the socket meanwhile. Then drop the effective uid when
 * root and run the login service on the greeted connection. Resolves with the exit code once the
 * connection is closed or handed over (a relayed TLS session keeps the process until it ends).
 */
import type { Application } from '@pigeondeliver/core';
import {
  ConfigError,
  CORE_OPTIONS,
  earlyGreeting,
  NetworkSet,
  newSessionId,
  pendingLogger,
  rawLookup,
  rawOptionValue,
  readRawOptions,
  sayUnavailable,
  writeLine,
} from '@pigeondeliver/core/early';
import { addressesFromEnvironment } from './client-address.js';
import { StdioConnection, stdioKind } from './stdio-connection.js';
import { STDIO_OPTIONS, STDIO_OPTION_SPECS } from './stdio-options.js';

/** The program name. */
export const PROGRAM = 'pd-forker-stdio';

/** Runs one session; see the file comment. */
export async function runStdio(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const pre = readRawOptions(argv, env);
  let trusted: NetworkSet;
  try {
    trusted = new NetworkSet(rawOptionValue(rawLookup(pre.raw), CORE_OPTIONS.trustedNetworks));
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
    log: pendingLogger(),
    kind: stdioKind(),
  });
  conn.stream.on('error', (e) => conn.log.debug({ err: e.message }, 'client stream error'));
  const greeted = await earlyGreeting(pre, { secured: false, trusted: conn.trusted });
  if (greeted) writeLine(conn.stream, greeted.line);

  let app: Application;
  try {
    const { createApplication } = await import('@pigeondeliver/core');
    app = await createApplication({ argv, program: PROGRAM, extraOptions: STDIO_OPTION_SPECS, login: true, env });
  } catch (e) {
    if (greeted) await sayUnavailable(conn.stream, greeted);
    throw e;
  }
  conn.log = app.logger.child({ session: sessionId });
  await dropRootIfNeeded(app);
  conn.log.info(
    { remote: `${conn.remote.address}:${conn.remote.port}`, addressFrom: conn.socket ? 'socket' : found.source ?? 'unknown', socket: conn.socket !== undefined, greetedEarly: greeted !== undefined },
    'connect',
  );
  try {
    await app.loginService!.handle(conn, greeted);
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
async function dropRootIfNeeded(app: Application): Promise<void> {
  if (!process.geteuid || process.geteuid() !== 0) return;
  // The full core's copy (already loaded): its session launcher regains root from the same state.
  const { dropPrivileges, resolveServiceUser } = await import('@pigeondeliver/core');
  const user = resolveServiceUser(app.options.get(STDIO_OPTIONS.user).trim() || 'nobody', 'stdio_user');
  dropPrivileges(user.uid, user.gid);
}
