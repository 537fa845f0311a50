/**
 * One stderr channel shared by every backend this process starts: a FIFO in a private 0700 directory,
 * whose read end we log line by line and whose write end every child gets as its stderr. The process
 * holds two descriptors in all, however many sessions run, so the zero-copy promise (nothing kept per
 * session) holds while backend errors still reach our log. Writes of up to PIPE_BUF (4096) bytes to a
 * pipe are atomic (pipe(7)), so lines of different children do not interleave. Lines carry no session
 * id (a shared pipe does not say who wrote); Dovecot and Courier put the user and pid in their lines.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../logging.js';
import { logStderrLines } from './stderr-lines.js';

/** The channel: `fd` is what children get as stderr. */
export interface SharedStderr {
  readonly fd: number;
  close(): void;
}

/** Creates the channel and starts logging its lines on `log`. Throws when mkfifo is unavailable. */
export function openSharedStderr(log: Logger): SharedStderr {
  const dir = mkdtempSync(join(tmpdir(), 'pd-stderr-'));
  const path = join(dir, 'backends');
  try {
    // Node has no mkfifo(3); coreutils' mkfifo is on every Debian system.
    execFileSync('mkfifo', ['-m', '0600', path], { stdio: 'ignore' });
    // Read end first, non-blocking (opening a FIFO for reading blocks until a writer exists otherwise).
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    // The write end stays blocking: a child whose log line finds the pipe full waits, it does not get EAGAIN.
    const writeFd = openSync(path, constants.O_WRONLY);
    rmSync(dir, { recursive: true, force: true }); // both ends are open; nobody else can open it now
    const reader = new Socket({ fd: readFd, readable: true, writable: false });
    reader.unref();
    logStderrLines(reader, log);
    return {
      fd: writeFd,
      close() {
        reader.destroy();
        try {
          closeSync(writeFd);
        } catch {
          /* already closed */
        }
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
