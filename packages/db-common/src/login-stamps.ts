/**
 * Last-login stamps written in batches: the stamps of up to {@link STAMP_WINDOW_MS} (or
 * {@link STAMP_BATCH_MAX} of them) go to the database in one transaction, the latest per user. One
 * write transaction per login cost a SQLite worker about ten system calls (locks on the database and
 * its WAL index, the WAL write) and took the write lock from the other workers
 * (docs/performance.md, handoff mode). A stamp is informational and best effort (IUserRepository
 * .recordLogin): what waits is written on close, a crash loses at most one window of stamps.
 */

/** Longest time a stamp waits for company (ms). */
export const STAMP_WINDOW_MS = 100;

/** Most stamps per transaction. */
export const STAMP_BATCH_MAX = 256;

/** One stamp: the user's key and the values of the update. */
export interface LoginStamp {
  readonly key: string;
  readonly when: Date;
  readonly ip: string | null;
}

/** Gathers stamps and hands each batch to `write`; see the file comment. */
export class LoginStampBatcher {
  private pending = new Map<string, LoginStamp>();
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** `write` stores one batch and logs its own failures (a rejection is ignored). */
  constructor(private readonly write: (stamps: readonly LoginStamp[]) => Promise<void>) {}

  /** Queues `stamp`; resolves once the batch that holds it was written (or failed and was logged). */
  add(stamp: LoginStamp): Promise<void> {
    this.pending.delete(stamp.key); // the latest stamp of a user wins, in arrival order
    this.pending.set(stamp.key, stamp);
    const written = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.pending.size >= STAMP_BATCH_MAX) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), STAMP_WINDOW_MS).unref();
    return written;
  }

  /** Writes what waits now (close calls it). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const stamps = [...this.pending.values()];
    const waiters = this.waiters;
    this.pending = new Map();
    this.waiters = [];
    try {
      await this.write(stamps);
    } catch {
      // `write` logs its own failures; a stamp never takes the process down
    } finally {
      for (const done of waiters) done();
    }
  }
}
