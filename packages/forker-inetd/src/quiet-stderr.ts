/**
 * Under inetd, fd 2 is the client's socket in `nowait` mode and the listening socket in `wait` mode
 * (forker-protocols.md §2.2): Node's own runtime warnings and an uncaught exception's stack would
 * reach the client. This removes Node's default warning printer (our logger records warnings
 * instead), and turns uncaught errors into a log line and exit code 70 without touching fd 2.
 */
import type { Logger } from '@pigeondeliver/core';

/** Installs the handlers; `log` may be replaced later with {@link setQuietLogger}. */
export function quietStderr(): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => current?.warn({ warning: w.name, detail: w.message }, 'node warning'));
  const fatal = (e: unknown): void => {
    current?.fatal({ err: (e as Error)?.message ?? String(e), stack: (e as Error)?.stack }, 'uncaught error');
    process.exit(70);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

let current: Logger | undefined;

/** The logger warnings and uncaught errors go to. */
export function setQuietLogger(log: Logger): void {
  current = log;
}
