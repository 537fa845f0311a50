/** Waits for a TCP port to accept connections (readiness without fixed sleeps, bounded in time). */
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { assertLoopback } from './loopback-guard.js';

/** Resolves once `host:port` accepts a connection; rejects after `timeoutMs` or when `alive()` turns false. */
export async function waitForPort(host: string, port: number, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  assertLoopback(host);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (!alive()) throw new Error(`bench: the server meant to listen on ${host}:${port} exited`);
    if (Date.now() > deadline) throw new Error(`bench: nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await delay(50); // poll interval, not a readiness assumption
  }
}
