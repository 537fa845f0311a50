/**
 * A connected Unix stream socket pair for status-channel tests: `master` is a Node socket, `childFd`
 * the raw descriptor of the other end (what fd 5 is under master), obtained from an accepted socket.
 * Like master, a helper process (`sleep`) keeps a duplicate of the child end: closing our copy is then
 * invisible to `master`, and only a shutdown(2) would make it read EOF.
 */
import { spawn } from 'node:child_process';
import { createConnection, createServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The two ends. */
export interface StatusPair {
  readonly master: Socket;
  readonly childFd: number;
  close(): void;
}

/** Creates the pair through a private listening path. */
export async function socketPair(): Promise<StatusPair> {
  const dir = mkdtempSync(join(tmpdir(), 'pd-status-'));
  const path = join(dir, 's');
  const accepted = new Promise<Socket>((resolve) => {
    const server = createServer({ pauseOnConnect: true }, (s) => {
      server.close();
      resolve(s);
    });
    server.listen(path);
  });
  await new Promise((r) => setTimeout(r, 0));
  const master = createConnection(path);
  const child = await accepted;
  const fd = (child as unknown as { _handle: { fd: number } })._handle.fd;
  const keeper = spawn('sleep', ['60'], { stdio: ['ignore', 'ignore', 'ignore', fd] });
  await new Promise((resolve) => keeper.once('spawn', resolve));
  return {
    master,
    childFd: fd,
    close() {
      keeper.kill();
      master.destroy();
      child.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
