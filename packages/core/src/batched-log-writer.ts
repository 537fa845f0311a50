/**
 * A log destination that writes the lines of one event-loop turn with one `write(2)`: under load a
 * worker logs several lines per connection from many connections in the same turn, and one system
 * call per line was the largest single item of the daemon's per-login CPU in the bench profiles
 * (docs/performance.md). Lines leave at the end of the turn (`setImmediate`), so nothing waits for
 * more traffic, and on process exit whatever is pending is written synchronously.
 */
import { writeSync } from 'node:fs';

/** Longest time a full pipe is retried before the pending lines are dropped (never blocks forever). */
const MAX_RETRY_MS = 1000;

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

/** Batches JSON lines per event-loop turn onto a descriptor; pino calls {@link write} once per line. */
export class BatchedLogWriter {
  private pending: string[] = [];
  private scheduled = false;
  private readonly flushSoon = (): void => this.flush();

  constructor(private readonly fd: number) {
    process.once('exit', this.flushSoon);
  }

  /** Queues one line (pino passes it with its newline). */
  write(line: string): boolean {
    this.pending.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushSoon).unref();
    }
    return true;
  }

  /** Writes everything pending now (also what pino's `flush()` and fatal paths call). */
  flush(): void {
    this.scheduled = false;
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
