/**
 * The escalating failure penalty per client address (Dovecot's auth_penalty): after n failures from
 * an address (an IPv6 prefix), each new attempt from it waits initial * 2^(n-1), capped. It is per
 * address, never per user, so a password guesser elsewhere cannot lock the real user out. Memory is
 * bounded: entries expire after `memory` ms and the least recently used go first beyond `maxEntries`.
 */
import { addressPrefixKey } from '../network/address-prefix.js';

/** Penalty settings; durations in milliseconds. */
export interface PenaltySettings {
  readonly initial: number;
  readonly max: number;
  readonly memory: number;
  readonly maxEntries: number;
  readonly ipv6Prefix: number;
}

interface PenaltyEntry {
  failures: number;
  /** Fingerprints of recent failed (user, password) pairs: a retry of the same pair counts once. */
  recent: string[];
  updatedAt: number;
}

/** How many distinct failed (user, password) fingerprints are remembered per address. */
const RECENT_FINGERPRINTS = 4;

/** Counts failures per client address and says how long the next attempt must wait. */
export class PenaltyTracker {
  private readonly entries = new Map<string, PenaltyEntry>();

  constructor(
    private readonly settings: PenaltySettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Addresses currently remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** Failures remembered for an address. */
  failures(address: string): number {
    return this.get(addressPrefixKey(address, this.settings.ipv6Prefix))?.failures ?? 0;
  }

  /** Milliseconds the next attempt from `address` must wait (0 when it has no recent failures). */
  delayFor(address: string): number {
    const n = this.failures(address);
    if (n === 0 || this.settings.initial <= 0) return 0;
    return Math.min(this.settings.initial * 2 ** Math.min(n - 1, 30), this.settings.max);
  }

  /**
   * Records a failure. `fingerprint` identifies the (user, password) pair without holding the
   * password; a pair already counted recently is not counted again (a client retrying a saved wrong
   * password is not a guesser).
   */
  recordFailure(address: string, fingerprint?: string): void {
    const key = addressPrefixKey(address, this.settings.ipv6Prefix);
    const entry = this.get(key) ?? { failures: 0, recent: [], updatedAt: 0 };
    if (fingerprint === undefined || !entry.recent.includes(fingerprint)) {
      entry.failures++;
      if (fingerprint !== undefined) {
        entry.recent.push(fingerprint);
        if (entry.recent.length > RECENT_FINGERPRINTS) entry.recent.shift();
      }
    }
    entry.updatedAt = this.now();
    this.entries.delete(key); // re-insert: Map order is recency order
    this.entries.set(key, entry);
    while (this.entries.size > this.settings.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** A successful login clears the address's penalty (as Dovecot does). */
  recordSuccess(address: string): void {
    this.entries.delete(addressPrefixKey(address, this.settings.ipv6Prefix));
  }

  private get(key: string): PenaltyEntry | undefined {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.updatedAt > this.settings.memory) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
