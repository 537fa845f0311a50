/**
 * The logger of a connection made before the process logger exists (a launch greets before loading
 * pino, docs/architecture.md "Greeting first"): it discards what is said meanwhile; the forker
 * replaces the connection's `log` once the application is built and logs the connection then.
 */
import type { Logger } from '../logging.js';

function noop(): void {}

/** A Logger-shaped object that discards everything and costs no module load. */
export function pendingLogger(): Logger {
  const log: Record<string, unknown> = { level: 'silent', isLevelEnabled: () => false };
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']) log[level] = noop;
  log.child = () => log;
  return log as unknown as Logger;
}
