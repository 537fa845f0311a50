/**
 * The table of hand-offs we just made and not yet looked up: the only thing that makes our
 * auth-master answer USER (docs/dovecot-login-handoff.md §3). Each entry is single-use (removed by
 * the first REQUEST that names it, whatever the outcome, so a cookie cannot be guessed by retrying),
 * expires after `ttlMs`, and carries a random 16-byte cookie compared in constant time.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { pooledRandomBytes } from '@pigeondeliver/core';
import { MASTER_AUTH_COOKIE_SIZE } from './login-request.js';

/** What our auth-master answers for one hand-off. */
export interface HandoffEntry {
  readonly authId: number;
  readonly cookie: Buffer;
  /** The pid that sent the login request (REQUEST's client_pid must equal it). */
  readonly clientPid: number;
  /** The user name imap/pop3 log and run as. */
  readonly user: string;
  /** userdb fields: uid, gid, home, mail, ... */
  readonly fields: readonly (readonly [string, string])[];
  readonly sessionId: string;
  /** A start-up self-test: checked like any other, then answered FAIL on purpose. */
  readonly selfTest?: boolean;
}

/** Why a REQUEST is refused (logged; the client only sees a generic reason). */
export type RefusalReason = 'unknown' | 'replayed' | 'expired' | 'wrong client pid' | 'wrong cookie';

/** The outcome of looking a REQUEST up. */
export type TakeResult = { readonly ok: true; readonly entry: HandoffEntry } | { readonly ok: false; readonly reason: RefusalReason; readonly entry?: HandoffEntry };

/** How many consumed/expired ids are remembered to tell "replayed" from "unknown" in the log. */
const RECENT_IDS = 4096;

/** The pending hand-offs of this process. */
export class PendingHandoffs {
  private readonly entries = new Map<number, { entry: HandoffEntry; expiresAt: number }>();
  private readonly recent = new Map<number, 'replayed' | 'expired'>();
  private nextId = randomInt(1, 0x7fffffff);
  /** REQUESTs waiting for a registration that has not arrived yet (see {@link whenRegistered}). */
  private readonly waiters = new Map<number, () => void>();

  constructor(
    /** Lifetime of an entry, ms. */
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Number of live entries. */
  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  /** Adds an entry with a fresh id and cookie; returns it. */
  add(spec: Omit<HandoffEntry, 'authId' | 'cookie'>): HandoffEntry {
    this.sweep();
    let authId = this.nextId;
    while (authId === 0 || this.entries.has(authId)) authId = (authId + 1) >>> 0;
    this.nextId = (authId + 1) >>> 0;
    const entry: HandoffEntry = { ...spec, authId, cookie: pooledRandomBytes(MASTER_AUTH_COOKIE_SIZE) };
    this.entries.set(authId, { entry, expiresAt: this.now() + this.ttlMs });
    return entry;
  }

  /**
   * Adds an entry whose id and cookie another process chose (a daemon worker that sends the
   * descriptor itself, decision 0007 §5). False when the id is live or was used recently: ids are
   * never reused within the table's memory, so a replayed registration cannot revive a hand-off.
   */
  register(entry: HandoffEntry): boolean {
    this.sweep();
    if (entry.authId <= 0 || entry.authId > 0x7fffffff || entry.cookie.length !== MASTER_AUTH_COOKIE_SIZE) return false;
    if (this.entries.has(entry.authId) || this.recent.has(entry.authId)) return false;
    this.entries.set(entry.authId, { entry, expiresAt: this.now() + this.ttlMs });
    const waiter = this.waiters.get(entry.authId);
    if (waiter) {
      this.waiters.delete(entry.authId);
      waiter();
    }
    return true;
  }

  /** True when `authId` is neither live nor remembered as used or expired. */
  isUnknown(authId: number): boolean {
    return !this.entries.has(authId) && !this.recent.has(authId);
  }

  /**
   * Resolves when an entry for `authId` is registered, or after `timeoutMs` (the registration and the
   * REQUEST travel different paths: worker -> primary IPC, worker -> Dovecot -> auth-master, and
   * the REQUEST may be read first). One waiter per id; a second one replaces the first.
   */
  whenRegistered(authId: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.waiters.get(authId) === done) this.waiters.delete(authId);
        resolve();
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.get(authId)?.();
      this.waiters.set(authId, done);
    });
  }

  /** Removes an entry that will not be looked up (the login request could not be sent). */
  cancel(authId: number): void {
    if (this.entries.delete(authId)) this.remember(authId, 'replayed');
  }

  /** Consumes the entry named by a REQUEST, if every check passes. */
  take(authId: number, cookieHex: string, clientPid: number): TakeResult {
    const found = this.entries.get(authId);
    if (!found) {
      this.sweep();
      return { ok: false, reason: this.recent.get(authId) ?? 'unknown' };
    }
    this.entries.delete(authId);
    this.remember(authId, 'replayed');
    const { entry, expiresAt } = found;
    if (this.now() > expiresAt) return { ok: false, reason: 'expired', entry };
    const given = Buffer.from(cookieHex, 'hex');
    if (given.length !== entry.cookie.length || !timingSafeEqual(given, entry.cookie)) return { ok: false, reason: 'wrong cookie', entry };
    if (clientPid !== entry.clientPid) return { ok: false, reason: 'wrong client pid', entry };
    return { ok: true, entry };
  }

  private remember(authId: number, reason: 'replayed' | 'expired'): void {
    this.recent.set(authId, reason);
    if (this.recent.size > RECENT_IDS) this.recent.delete(this.recent.keys().next().value!);
  }

  /** Drops expired entries (insertion order is expiry order: the TTL is constant). */
  private sweep(): void {
    const now = this.now();
    for (const [authId, { expiresAt }] of this.entries) {
      if (expiresAt >= now) break;
      this.entries.delete(authId);
      this.remember(authId, 'expired');
    }
  }
}
