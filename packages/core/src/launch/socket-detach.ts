/**
 * Stops this process from reading a client socket before its descriptor is given to a backend.
 *
 * A paused Node socket keeps reading from the kernel until its buffer reaches the high-water mark,
 * so bytes the client sends between the login command and the hand-off could land in our buffer and
 * never reach the backend. Node's public API has no "stop reading now"; `spawn` itself calls
 * `handle.readStop()` on sockets given as stdio (lib/internal/child_process.js), and we do the same
 * earlier, in the same tick as draining what was already buffered, so no byte can slip in between.
 */
import type { Socket } from 'node:net';

interface ReadableHandle {
  reading?: boolean;
  readStop?(): number;
}

/**
 * Pauses `socket`, takes every byte already buffered in it and stops the kernel reads. Returns the
 * buffered bytes (they must reach the backend after the login service's own pipelined bytes).
 * Reading resumes if someone calls `read()`/`resume()`/`pipe()` later (the relay fallback does).
 */
export function detachSocketReader(socket: Socket): Buffer {
  socket.pause();
  const chunks: Buffer[] = [];
  while (socket.readableLength > 0) {
    const chunk = socket.read(socket.readableLength) as Buffer | string | null;
    if (chunk === null) break;
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  const handle = (socket as unknown as { _handle?: ReadableHandle | null })._handle;
  if (handle && typeof handle.readStop === 'function') {
    handle.reading = false;
    handle.readStop();
  }
  return Buffer.concat(chunks);
}

/**
 * Undoes {@link detachSocketReader} for a socket that stays in this process after all (the relay
 * fallback): restarts the kernel reads that `readStop()` stopped. Node's own bookkeeping may still
 * believe a read is pending, so `resume()` alone would not restart them.
 */
export function reattachSocketReader(socket: Socket): void {
  const handle = (socket as unknown as { _handle?: (ReadableHandle & { readStart?(): number }) | null })._handle;
  if (handle && typeof handle.readStart === 'function' && handle.reading === false && !socket.destroyed) {
    handle.reading = true;
    handle.readStart();
  }
}
