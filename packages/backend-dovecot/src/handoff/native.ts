/**
 * The pd_fdpass addon (packages/backend-dovecot/native): SCM_RIGHTS descriptor passing and
 * SO_PEERCRED on Unix sockets, which Node's core does not offer on arbitrary sockets (its IPC
 * channel passes handles only to Node children). Built from source by the package's `install`
 * script (node-gyp); loaded lazily so that exec mode works where the addon is not built.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { BackendError, ConfigError } from '@pigeondeliver/core';

/** Credentials of the process at the other end of a Unix socket (socket(7) SO_PEERCRED). */
export interface PeerCredentials {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
}

/** The addon's functions. */
export interface FdPassAddon {
  /** SO_PEERCRED of a connected Unix socket. */
  peerCredentials(socketFd: number): PeerCredentials;
  /**
   * One hand-off's client side: connect to `socketPath`, send `data` with `fdToSend`, then read the
   * 12-byte reply on the event loop; `callback` gets `(null, null, reply)` or `(code, message, null)`
   * (after the request was sent). Throws (with the errno name as `code`) when nothing was sent.
   */
  loginRequest(
    socketPath: string,
    data: Buffer,
    fdToSend: number,
    timeoutMs: number,
    callback: (code: string | null, message: string | null, reply: Buffer | null) => void,
  ): void;
}

const ADDON_PATH = '../../native/build/Release/pd_fdpass.node';
let loaded: FdPassAddon | undefined;

/** The addon; throws ConfigError with the build command when it is not built. */
export function fdPassAddon(): FdPassAddon {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)(ADDON_PATH) as FdPassAddon;
  } catch (e) {
    throw new ConfigError(
      `dovecot_mode=handoff needs the pd_fdpass native addon, which is not built (${(e as Error).message}); ` +
        'run `npm rebuild @pigeondeliver/backend-dovecot` (needs make, a C compiler and python3)',
      'dovecot_mode',
    );
  }
  return loaded;
}

interface HandleWithFd {
  _handle?: { fd?: number } | null;
}

/** The OS descriptor of a connected Node socket (TCP or Unix); BackendError when it has none. */
export function socketDescriptor(socket: Socket): number {
  const fd = (socket as unknown as HandleWithFd)._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new BackendError('the socket has no file descriptor (closed, or not an OS socket)');
  return fd;
}
