/**
 * A small pool of worker threads for the JavaScript crypt(3) families (SHA-crypt, MD5-crypt, bcrypt):
 * the fallback when the pd_crypt addon is not built or refuses an input (see compute-crypt.ts), whose
 * pure-JavaScript cost would otherwise stall every connection of the login process. Argon2, the PBKDF2
 * families and the addon need no pool: they run on libuv's thread pool.
 *
 * Workers start on first use, are unreferenced while idle (an idle pool never keeps the process
 * alive) and are replaced if one dies; {@link closePasswordWorkers} ends them for a clean shutdown.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CryptReply, CryptTask } from './crypt-task.js';

interface Job {
  readonly task: CryptTask;
  resolve(result: string): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  job?: Job;
}

/** Default pool size: one worker per core, at most 4 (hashing is bursty, logins are short). */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Runs {@link CryptTask}s on up to `size` worker threads, first come first served. */
export class CryptWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;

  /**
   * @param size - Most worker threads at once (a positive integer).
   * @param script - The worker entry; the compiled `crypt-worker.js` next to this file by default.
   */
  constructor(
    readonly size: number = defaultPoolSize(),
    private readonly script: URL = new URL('./crypt-worker.js', import.meta.url),
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker pool size must be a positive integer, got ${size}`);
  }

  /** Computes `task` on a worker; rejects with the worker's error message (never the password). */
  run(task: CryptTask): Promise<string> {
    if (this.closed) return Promise.reject(new Error('the password worker pool is closed'));
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  /** Number of live worker threads (for tests and diagnostics). */
  get threads(): number {
    return this.slots.length;
  }

  /** Rejects queued jobs, ends every worker and waits for them to exit. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the password worker pool is closed'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === undefined);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage(job.task);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.script);
    const slot: Slot = { worker };
    worker.on('message', (reply: CryptReply) => {
      const job = slot.job;
      slot.job = undefined;
      worker.unref();
      if (job) {
        if (reply.ok) job.resolve(reply.result);
        else job.reject(new Error(reply.error));
      }
      this.dispatch();
    });
    worker.on('error', (error: Error) => this.retire(slot, error));
    worker.on('exit', (code: number) => this.retire(slot, new Error(`password worker thread exited (code ${code})`)));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  /** Forgets a dead worker, fails its job and lets the queue spawn a replacement. */
  private retire(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    const job = slot.job;
    slot.job = undefined;
    job?.reject(error);
    if (!this.closed) this.dispatch();
  }
}

let shared: CryptWorkerPool | undefined;

/** The process-wide pool every scheme uses, created on first use. */
export function sharedCryptPool(): CryptWorkerPool {
  shared ??= new CryptWorkerPool();
  return shared;
}

/**
 * Ends the shared worker threads (graceful shutdown, end of tests). Hashing after this starts a new
 * pool.
 */
export async function closePasswordWorkers(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
