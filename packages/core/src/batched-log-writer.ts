/**
 * A log destination that gathers lines and writes them with one `write(2)`: a worker logs several
 * lines per connection, and one system call per line was the largest single item of the daemon's
 * per-login CPU in the bench profiles (docs/performance.md). Lines leave at most
 * {@link FLUSH_DELAY_MS} after the first of them was logged, or at the end of the event-loop turn once
 * {@link FLUSH_BYTES} are waiting; on process exit (also after an uncaught exception) whatever is
 * pending is written synchronously. Only a process killed outright (SIGKILL) can lose the lines of its
 * last {@link FLUSH_DELAY_MS}.
 */
import { writeSync } from 'node:fs';

/** Longest time a full pipe is retried before the pending lines are dropped (never blocks forever). */
const MAX_RETRY_MS = 1000;

/** Longest time a line waits for company (ms). */
export const FLUSH_DELAY_MS = 20;

/** Waiting bytes that make the lines leave at the end of the current turn. */
export const FLUSH_BYTES = 16 * 1024;

/** Writes `data` completely to `fd`, retrying a non-blocking descriptor's EAGAIN for a bounded time. */
function writeFully(fd: number, data: Buffer): void {
  let offset = 0;
  let waitedMs = 0;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || waitedMs >= MAX_RETRY_MS) return;
      Atomics.wait(pause, 0, 0, 1);
      waitedMs += 1;
    }
  }
}

/** Batches JSON lines onto a descriptor (see the file comment); pino calls {@link write} once per line. */
export class BatchedLogWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly flushSoon = (): void => this.flush();

  constructor(private readonly fd: number) {
    process.once('exit', this.flushSoon);
  }

  /** Queues one line (pino passes it with its newline). */
  write(line: string): boolean {
    this.pending.push(line);
    this.pendingLength += line.length;
    if (this.pendingLength >= FLUSH_BYTES) {
      this.immediate ??= setImmediate(this.flushSoon).unref();
    } else {
      this.timer ??= setTimeout(this.flushSoon, FLUSH_DELAY_MS).unref();
    }
    return true;
  }

  /** Writes everything pending now (also what pino's `flush()` and fatal paths call). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.pendingLength = 0;
    if (this.pending.length === 0) return;
    const data = Buffer.from(this.pending.length === 1 ? (this.pending[0] as string) : this.pending.join(''));
    this.pending = [];
    try {
      writeFully(this.fd, data);
    } catch {
      // stderr closed or unwritable: logging must never take the server down.
    }
  }

  /** pino's synchronous flush hook. */
  flushSync(): void {
    this.flush();
  }
}
