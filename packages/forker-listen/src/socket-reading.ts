/**
 * Gives a socket that was accepted paused (`pauseOnConnect`) or paused by us (PROXY header) the
 * state of a fresh connection: reading, buffering until the protocol attaches a 'data' listener, then
 * flowing. A socket left explicitly paused (`readableFlowing === false`) would ignore a later
 * `on('data')`, and a pauseOnConnect socket's handle is not reading at all (core's
 * reattachSocketReader restarts it).
 */
import type { Socket } from 'node:net';
import { reattachSocketReader } from '@pigeondeliver/core';

/** See the file comment. */
export function releaseToProtocol(socket: Socket): void {
  (socket as unknown as { readableFlowing: boolean | null }).readableFlowing = null;
  reattachSocketReader(socket);
  socket.read(0);
}
