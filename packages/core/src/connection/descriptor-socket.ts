/**
 * The Node socket for a descriptor the process inherited (inetd nowait: fd 0; Postfix's master:
 * accepted sockets). Light on purpose: the pre-greeting path of `@pigeondeliver/core/early` uses it,
 * so it loads `node:fs` and `node:net` only.
 */
import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';

/**
 * One Node socket for an inherited descriptor. Exactly one Node handle may exist per descriptor
 * (forker-protocols.md §2.4), so do not also touch `process.stdin` for the same fd. Throws an Error
 * that says what the descriptor is when it is not a socket (a pipe, a TTY, a file).
 */
export function socketFromDescriptor(fd: number): Socket {
  let kind: string;
  try {
    const st = fstatSync(fd);
    if (st.isSocket()) return new Socket({ fd, readable: true, writable: true });
    kind = st.isFIFO() ? 'a pipe' : st.isCharacterDevice() ? 'a terminal or device' : st.isFile() ? 'a file' : 'not a socket';
  } catch (e) {
    kind = `not open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  throw new Error(`descriptor ${fd} is ${kind}; a socket connected to the client is needed here`);
}
