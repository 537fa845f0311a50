/**
 * Stops this process from reading a client socket before its descriptor is given to a backend.
 *
 * A paused Node socket keeps reading from the kernel until its buffer reaches the high-water mark,
 * and Node restarts reads on its own (`maybeReadMore` after a chunk, `read(0)`): even `spawn`, which
 * calls `handle.readStop()` on sockets given as stdio (lib/internal/child_process.js), resets the
 * stream so that the next internal `read(0)` starts reading again. Bytes the client sends while we
 * still hold our copy would then land in our buffer and never reach the backend (seen in tests: a
 * lost IMAP command). Node's public API has no "stop reading for good", so we (1) drain what is
 * buffered, (2) replace this socket's `_read` with a no-op, so the stream can never ask for more, and
 * (3) stop the kernel reads on the handle, all in the same tick.
 */
import type { Socket } from 'node:net';

interface ReadableHandle {
  reading?: boolean;
  readStop?(): number;
  readStart?(): number;
}

interface SocketInternals {
  _handle?: ReadableHandle | null;
  _read?: (size: number) => void;
}

const DETACHED = Symbol('pigeondeliver.detachedReader');

/**
 * Pauses `socket`, takes every byte already buffered in it and stops all further reads. Returns the
 * buffered bytes (they must reach the backend after the login service's own pipelined bytes).
 * Undo with {@link reattachSocketReader}.
 */
export function detachSocketReader(socket: Socket): Buffer {
  socket.pause();
  const chunks: Buffer[] = [];
  while (socket.readableLength > 0) {
    const chunk = socket.read(socket.readableLength) as Buffer | string | null;
    if (chunk === null) break;
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  const internals = socket as unknown as SocketInternals & { [DETACHED]?: boolean };
  if (!internals[DETACHED]) {
    internals[DETACHED] = true;
    internals._read = function noRead(): void {
      // detached: the descriptor belongs to a backend now
    };
  }
  const handle = internals._handle;
  if (handle && typeof handle.readStop === 'function') {
    handle.reading = false;
    handle.readStop();
  }
  return Buffer.concat(chunks);
}

/**
 * Undoes {@link detachSocketReader} for a socket that stays in this process after all (the relay
 * fallback, or a failed start that the login service answers): restores Node's reading and restarts
 * the kernel reads.
 */
export function reattachSocketReader(socket: Socket): void {
  const internals = socket as unknown as SocketInternals & { [DETACHED]?: boolean; _readableState?: { reading: boolean } };
  if (!internals[DETACHED] || socket.destroyed) return;
  delete internals[DETACHED];
  delete internals._read;
  if (internals._readableState) internals._readableState.reading = false;
  const handle = internals._handle;
  if (handle && typeof handle.readStart === 'function') {
    handle.reading = true;
    handle.readStart();
  }
}
