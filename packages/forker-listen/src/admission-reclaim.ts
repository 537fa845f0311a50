/**
 * The primary's side of parked admissions (parked-admissions.ts): before it refuses a connection for
 * a full limit (`listen_max_connections`, `listen_max_connections_per_ip`), it asks every worker to
 * give back the admissions it keeps unused (`reclaim`), waits for their answers (`reclaimed`, after
 * the releases in the same batch) or at most {@link RECLAIM_WAIT_MS}, and then decides the waiting
 * requests again. So the limits stay exact across workers: nobody is over them at any time, and a
 * connection is refused only once the admissions parked elsewhere have been handed back. Rounds are
 * at least {@link RECLAIM_INTERVAL_MS} apart (a client hammering at a full limit waits for the next
 * round instead of making one per connection), and at most {@link MAX_DEFERRED} requests wait.
 */

/** Longest wait for the workers' answers (ms). */
export const RECLAIM_WAIT_MS = 200;

/** Shortest time between the end of one round and the start of the next (ms). */
export const RECLAIM_INTERVAL_MS = 50;

/** Most admission requests waiting for a round; beyond, a request is refused at once. */
export const MAX_DEFERRED = 4096;

/** What the reclaim rounds need from the primary. */
export interface ReclaimHost<W> {
  /** The workers that may keep admissions (every live worker). */
  workers(): Iterable<W>;
  /** Asks `worker` to give its parked admissions back; false when it cannot be asked (gone). */
  sendReclaim(worker: W): boolean;
  /** Decides a waiting request for good (admit or refuse) and answers it. */
  decide(worker: W, id: number, ip: string): void;
}

/** See the file comment. */
export class AdmissionReclaim<W> {
  private deferred: { readonly worker: W; readonly id: number; readonly ip: string }[] = [];
  private waiting: Set<W> | undefined;
  private waitTimer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private lastEnd = -Infinity;

  constructor(
    private readonly host: ReclaimHost<W>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Holds a request the limits refuse until the next round; false when too many wait (refuse it now). */
  defer(worker: W, id: number, ip: string): boolean {
    if (this.deferred.length >= MAX_DEFERRED) return false;
    this.deferred.push({ worker, id, ip });
    if (this.waiting || this.startTimer) return true;
    const wait = this.lastEnd + RECLAIM_INTERVAL_MS - this.now();
    if (wait > 0) this.startTimer = setTimeout(() => this.start(), wait);
    else this.start();
    return true;
  }

  /** `worker` gave back what it kept (or is gone): the round ends once every asked worker did. */
  answered(worker: W): void {
    if (!this.waiting?.delete(worker)) return;
    if (this.waiting.size === 0) this.finish();
  }

  /** Requests waiting now. */
  get waitingRequests(): number {
    return this.deferred.length;
  }

  /** Decides everything waiting at once (shutdown). */
  flush(): void {
    if (this.startTimer) clearTimeout(this.startTimer);
    this.startTimer = undefined;
    this.finish();
  }

  private start(): void {
    this.startTimer = undefined;
    const asked = new Set<W>();
    for (const w of this.host.workers()) if (this.host.sendReclaim(w)) asked.add(w);
    if (asked.size === 0) return this.finish();
    this.waiting = asked;
    this.waitTimer = setTimeout(() => this.finish(), RECLAIM_WAIT_MS);
  }

  private finish(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    this.waiting = undefined;
    this.lastEnd = this.now();
    const list = this.deferred;
    this.deferred = [];
    for (const r of list) this.host.decide(r.worker, r.id, r.ip);
  }
}
