/**
 * Read control of a socket a forker accepted paused (`pauseOnConnect`, or a socket received over IPC,
 * which starts reading at once). Node's `pause()` only stops 'data' events: the libuv handle keeps
 * reading into the stream's buffer. {@link stopReading} stops the handle itself; {@link
 * releaseToProtocol} gives the socket the state of a fresh connection before the login service
 * attaches its reader. (Stopping reads before a descriptor is given to a backend is
 * `launch/socket-detach.ts`, which also returns what was buffered.) These helpers touch Node's
 * internal `_handle`, kept in this one file.
 */
import type { Socket } from 'node:net';

interface StreamHandle {
  reading?: boolean;
  readStop?(): number;
  readStart?(): number;
}

function handleOf(socket: Socket): StreamHandle | undefined {
  return (socket as unknown as { _handle?: StreamHandle | null })._handle ?? undefined;
}

/** Stops the handle from reading; true when it could (an open socket with a libuv stream handle). */
export function stopReading(socket: Socket): boolean {
  socket.pause();
  const h = handleOf(socket);
  if (!h || typeof h.readStop !== 'function') return false;
  if (h.reading !== false) {
    h.readStop();
    h.reading = false;
  }
  return true;
}

/** Undoes {@link stopReading}: the handle reads again (into the stream's buffer while it is paused). */
export function resumeReading(socket: Socket): void {
  const h = handleOf(socket);
  if (h && typeof h.readStart === 'function' && h.reading === false && !socket.destroyed) {
    h.reading = true;
    h.readStart();
  }
}

/**
 * Gives a socket that was accepted paused (`pauseOnConnect`) or paused by us the state of a fresh
 * connection: reading, buffering until the protocol attaches a 'data' listener (then flowing). A
 * socket left explicitly paused would ignore a later `on('data')`.
 */
export function releaseToProtocol(socket: Socket): void {
  (socket as unknown as { readableFlowing: boolean | null }).readableFlowing = null;
  resumeReading(socket);
  socket.read(0);
}
