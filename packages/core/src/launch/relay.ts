/**
 * Plaintext relay between a client stream we must keep (TLS terminated by us, or stdio without a
 * socket) and the backend's end of a Unix socket pair, as Dovecot's login process does for TLS
 * sessions. Backpressure comes from `pipe()`; an end of input on one side is passed on as a
 * half-close to the other; when the backend side closes, the client side is ended after what is
 * buffered for it is flushed; when the client side closes, the backend side is destroyed at once.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { BackendError } from '../errors.js';

/** How long a closing side may take to flush what is queued for it before it is destroyed. */
export const RELAY_LINGER_MS = 30_000;

/**
 * Resolves with the first chunk the backend writes (its answer to the login command), or rejects
 * with BackendError when it closes without a byte, errors, or stays silent for `timeoutMs`. The
 * stream is left paused with the chunk removed from it.
 */
export function waitForFirstChunk(backend: Duplex, timeoutMs: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      backend.off('data', onData);
      backend.off('end', onEnd);
      backend.off('close', onEnd);
      backend.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      backend.pause();
      cleanup();
      resolve(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      reject(new BackendError('the backend closed its connection without answering'));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(new BackendError(`the backend connection failed before it answered: ${e.message}`, { cause: e }));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new BackendError(`the backend did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    backend.on('data', onData);
    backend.once('end', onEnd);
    backend.once('close', onEnd);
    backend.once('error', onError);
  });
}

/**
 * Connects `client` and `backend` both ways until either goes away; `onClosed` runs once when both
 * are closed. Errors on either side end both (they are expected: a client that vanishes).
 */
export function relayStreams(client: Duplex, backend: Duplex, onClosed?: (reason: string) => void): void {
  let done = false;
  let closedCount = 0;
  const finish = (reason: string): void => {
    if (done) return;
    done = true;
    client.destroy();
    backend.destroy();
    onClosed?.(reason);
  };
  client.on('error', (e: Error) => finish(`client error: ${e.message}`));
  backend.on('error', (e: Error) => finish(`backend error: ${e.message}`));
  client.once('close', () => {
    closedCount++;
    finish('client closed');
  });
  backend.once('close', () => {
    closedCount++;
    if (closedCount === 2 || client.destroyed) return finish('backend closed');
    // Let what the backend said last (BYE, +OK Bye) reach the client, then close it.
    const linger = setTimeout(() => finish('backend closed (client did not drain)'), RELAY_LINGER_MS);
    linger.unref();
    const flushed = (): void => {
      clearTimeout(linger);
      finish('backend closed');
    };
    if (client.writableFinished) flushed();
    else {
      client.once('finish', flushed);
      if (!client.writableEnded) client.end();
    }
  });
  client.pipe(backend);
  backend.pipe(client);
}

/** How {@link relayAfterFirstChunk} starts. */
export interface RelayStart {
  /** Epoch ms by which the backend's first chunk must have come. */
  readonly deadline: number;
  /** Hears why the relay ended. */
  readonly onClosed?: (reason: string) => void;
  /** Runs after the first chunk went to the client and before the relay starts. */
  readonly beforeRelay?: () => void;
}

/**
 * Starts a relay once the backend has answered, as every relayed hand-off does: waits for the
 * backend's first chunk (its answer to the login command, {@link waitForFirstChunk}) until the
 * deadline, lifts the client socket's idle timeout, passes the chunk on, then {@link relayStreams}.
 */
export async function relayAfterFirstChunk(client: Duplex, backend: Duplex, start: RelayStart): Promise<void> {
  const first = await waitForFirstChunk(backend, Math.max(1, start.deadline - Date.now()));
  if (typeof (client as Partial<Socket>).setTimeout === 'function') (client as Socket).setTimeout(0);
  client.write(first);
  start.beforeRelay?.();
  relayStreams(client, backend, start.onClosed);
}
