/**
 * The ClientConnection of pd-forker-stdio: the client is this process's stdin (fd 0) and stdout
 * (fd 1). Exactly one Node handle is made per descriptor (docs/forker-protocols.md §2.4): when fd 0
 * and fd 1 are the same socket (inetd nowait, `--inetd`, tcpserver, socat nofork) one `net.Socket` on
 * fd 0 is both the stream and the `socket` a backend may take; otherwise the stream joins
 * `process.stdin` and `process.stdout`, and a backend can still inherit the descriptors through
 * `stdioDescriptors`.
 */
import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { endpointOf, type ClientConnection, type Endpoint, type Logger } from '@pigeondeliver/core/early';

/** Facts about fd 0/1 (a cheap fstat, no handle made). */
export interface StdioKind {
  /** fd 0 is a socket and fd 1 is the very same socket. */
  readonly sameSocket: boolean;
  readonly stdinIsSocket: boolean;
}

/** Looks at fd 0 and fd 1. */
export function stdioKind(): StdioKind {
  try {
    const a = fstatSync(0);
    const b = fstatSync(1);
    const stdinIsSocket = a.isSocket();
    return { stdinIsSocket, sameSocket: stdinIsSocket && b.isSocket() && a.ino === b.ino && a.dev === b.dev };
  } catch {
    return { stdinIsSocket: false, sameSocket: false };
  }
}

/** What the connection is made of. */
export interface StdioConnectionSettings {
  readonly sessionId: string;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  readonly trusted: (address: string) => boolean;
  readonly log: Logger;
  readonly kind: StdioKind;
}

/** See the file comment. */
export class StdioConnection implements ClientConnection {
  readonly sessionId: string;
  readonly stream: Duplex;
  readonly socket?: Socket;
  readonly stdioDescriptors: readonly [number, number] = [0, 1];
  remote: Endpoint;
  readonly local: Endpoint;
  readonly secured = false;
  readonly trusted: boolean;
  /** Replaced once the process logger exists (the greeting comes first). */
  log: Logger;

  constructor(settings: StdioConnectionSettings) {
    this.sessionId = settings.sessionId;
    this.log = settings.log;
    let remote = settings.remote;
    let local = settings.local;
    if (settings.kind.sameSocket) {
      const socket = new Socket({ fd: 0, readable: true, writable: true });
      this.socket = socket;
      this.stream = socket;
      // The socket knows better than the environment (a wrapper could be lied to; the kernel cannot).
      if (socket.remoteAddress) remote = endpointOf(socket.remoteAddress, socket.remotePort);
      if (socket.localAddress) local = endpointOf(socket.localAddress, socket.localPort);
    } else {
      this.stream = Duplex.from({ readable: process.stdin, writable: process.stdout });
    }
    this.remote = remote;
    this.local = local;
    this.trusted = remote.address !== '' && settings.trusted(remote.address);
  }

  close(): void {
    // Our handles only: destroy(), never end() (a backend may hold duplicates of fd 0/1).
    this.stream.destroy();
    this.socket?.destroy();
    // Duplex.from does not pass destroy() on to process.stdin, whose open handle would keep us alive.
    if (!this.socket) process.stdin.destroy();
  }
}
