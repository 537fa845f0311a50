/**
 * A connected pair of Unix-domain stream sockets. Node has no socketpair(2), and Courier's imapd
 * needs a socket (not a pipe) as stdin/stdout (DESIGN.md "Local handoff"), so: listen on a fresh path
 * inside a private 0700 temporary directory, connect, accept, then remove the path and the directory.
 * Nobody else can connect in between (the directory is ours and mode 0700).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendError } from '../errors.js';

/** Both ends of a pair: `ours` stays in this process, `theirs` goes to the child. */
export interface SocketPair {
  readonly ours: Socket;
  readonly theirs: Socket;
}

/** Creates a connected Unix-domain socket pair. Rejects with BackendError on failure. */
export async function createSocketPair(): Promise<SocketPair> {
  const dir = mkdtempSync(join(tmpdir(), 'pd-pair-'));
  const path = join(dir, 's');
  const server = createServer({ pauseOnConnect: true });
  try {
    return await new Promise<SocketPair>((resolve, reject) => {
      let ours: Socket | undefined;
      let theirs: Socket | undefined;
      const fail = (e: Error): void => reject(new BackendError(`socket pair: ${e.message}`, { cause: e }));
      const done = (): void => {
        if (!ours || !theirs || ours.connecting) return;
        ours.off('error', fail);
        resolve({ ours, theirs });
      };
      server.once('error', fail);
      server.once('connection', (s: Socket) => {
        theirs = s;
        done();
      });
      // exclusive: in a cluster worker (pd-forker-listen) a plain listen() is carried out by the primary,
      // which would create the socket file as root, unreachable for the unprivileged worker.
      server.listen({ path, exclusive: true }, () => {
        ours = createConnection(path, done);
        ours.once('error', fail);
      });
    });
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
