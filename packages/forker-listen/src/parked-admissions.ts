/**
 * Admissions a worker keeps for a while after their connection ended ("parked"), so that the next
 * connection from the same address is admitted here, without asking the primary: the admission round
 * trip woke the primary and the worker once each per connection, about 0.2 ms of CPU per login at one
 * client (docs/performance.md section 5). A parked admission still counts in the primary's limits;
 * the primary asks for them back (`reclaim`) before it refuses anyone for a full limit, and the worker
 * releases each one that stayed unused for {@link PARK_MS}. Only used while no connection-rate limit
 * is set: a rate counts every new connection, which only the primary can do.
 */

/** How long an unused parked admission is kept before it is released (ms). */
export const PARK_MS = 1000;

/** Most admissions one worker keeps parked; beyond, a finished connection's admission is released. */
export const MAX_PARKED = 4096;

/** See the file comment. */
export class ParkedAdmissions {
  /** Park times (ms) per address, oldest first. */
  private readonly byIp = new Map<string, number[]>();
  private count = 0;
  private sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    /** Keep time in ms; 0 turns parking off (every admission is released at once). */
    private readonly parkMs: number,
    /** Gives one admission of `ip` back to the primary. */
    private readonly release: (ip: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a parked admission of `ip` for a new connection; false when there is none. */
  take(ip: string): boolean {
    const times = this.byIp.get(ip);
    if (!times) return false;
    // The newest: under steady load the older ones age out and go back to the primary.
    times.pop();
    if (times.length === 0) this.byIp.delete(ip);
    this.count--;
    return true;
  }

  /** Keeps the admission of a connection from `ip` that left the pre-login phase (or releases it). */
  park(ip: string): void {
    if (this.parkMs <= 0 || this.closed || this.count >= MAX_PARKED) return this.release(ip);
    const times = this.byIp.get(ip);
    if (times) times.push(this.now());
    else this.byIp.set(ip, [this.now()]);
    this.count++;
    this.sweepTimer ??= setInterval(() => this.sweep(), this.parkMs).unref();
  }

  /** Releases every parked admission (the primary reclaims them, or the worker stops); how many. */
  releaseAll(): number {
    const n = this.count;
    for (const [ip, times] of this.byIp) for (let i = 0; i < times.length; i++) this.release(ip);
    this.byIp.clear();
    this.count = 0;
    this.stopSweeping();
    return n;
  }

  /** Releases everything and parks nothing from now on (the worker stops). */
  close(): void {
    this.closed = true;
    this.releaseAll();
  }

  /** Admissions parked now. */
  get size(): number {
    return this.count;
  }

  private sweep(): void {
    const oldest = this.now() - this.parkMs;
    for (const [ip, times] of this.byIp) {
      let expired = 0;
      while (expired < times.length && times[expired]! <= oldest) expired++;
      if (expired === 0) continue;
      for (let i = 0; i < expired; i++) this.release(ip);
      this.count -= expired;
      if (expired === times.length) this.byIp.delete(ip);
      else times.splice(0, expired);
    }
    if (this.count === 0) this.stopSweeping();
  }

  private stopSweeping(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }
}
