/**
 * The benchmark opens thousands of connections and starts servers: it must only ever talk to this
 * machine. Every address it listens on or connects to passes through {@link assertLoopback}.
 */
import { isIP } from 'node:net';

/** Throws unless `host` is a literal loopback address (127.0.0.0/8 or ::1); names are refused too. */
export function assertLoopback(host: string): void {
  const family = isIP(host);
  if (family === 4 && host.split('.')[0] === '127') return;
  if (family === 6 && (host === '::1' || host === '0:0:0:0:0:0:0:1')) return;
  throw new Error(`bench: refusing to use "${host}": the benchmark runs on loopback only (127.0.0.0/8, ::1)`);
}
