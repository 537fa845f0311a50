/**
 * Per-uid process pools (docs/dovecot-login-handoff.md §1, condition 1): a reused imap/pop3 process
 * drops privileges for good to its first user's uid, and dies (`setgid ... Operation not permitted`)
 * when a user of another uid lands in it. So every pooled uid gets its own Dovecot services
 * `imap-uid<N>` / `pop3-uid<N>` with their own login sockets, and a user is only ever routed to the
 * pool of the user's own uid.
 *
 * A pool can be split into shards: services `imap-uid<N>-s1` ... `-s<k>`, each with its own login
 * socket, used in turn. Every idle process of a service waits on the service's one login socket, and
 * each connect(2) to it wakes all of them (Dovecot does not use EPOLLEXCLUSIVE): with 16 idle
 * processes on one socket the wake-ups cost more CPU than the rest of the hand-off in the bench
 * (docs/performance.md section 5); with 4 shards each connect wakes a quarter of them.
 */
import { join } from 'node:path';
import type { MailProtocol } from '@pigeondeliver/core';

/** One service: where to send the hand-off. */
export interface HandoffPool {
  readonly uid: number;
  readonly protocol: MailProtocol;
  /** Dovecot service name. */
  readonly service: string;
  /** Absolute login socket path. */
  readonly socketPath: string;
}

/** Service name of the pool of `uid` (unsharded). */
export function poolServiceName(protocol: MailProtocol, uid: number): string {
  return `${protocol}-uid${uid}`;
}

/** Most services one pool may be split into (dovecot_handoff_pool_shards). */
export const MAX_POOL_SHARDS = 64;

/** `shards` when it is a valid shard count; throws Error naming the range otherwise. */
export function checkPoolShards(shards: number): number {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_POOL_SHARDS) throw new Error(`pool shards ${shards} must be an integer from 1 to ${MAX_POOL_SHARDS}`);
  return shards;
}

/** Service names of the pool of `uid` split into `shards` (one: the unsharded name). */
export function poolShardServiceNames(protocol: MailProtocol, uid: number, shards: number): string[] {
  const base = poolServiceName(protocol, uid);
  checkPoolShards(shards);
  return shards === 1 ? [base] : Array.from({ length: shards }, (_, i) => `${base}-s${i + 1}`);
}

/** The shards of one pool, taken in turn. */
interface PoolShards {
  readonly shards: readonly HandoffPool[];
  next: number;
}

/** The pools, by uid. */
export class HandoffPools {
  private readonly byKey = new Map<string, PoolShards>();

  constructor(
    readonly uids: readonly number[],
    baseDir: string,
    readonly protocols: readonly MailProtocol[] = ['imap', 'pop3'],
    /** Directory of the login sockets when not Dovecot's `<base_dir>/login` (dovecot_handoff_login_dir). */
    loginDir?: string,
    /** Services per pool (dovecot_handoff_pool_shards). */
    shards = 1,
  ) {
    const dir = loginDir && loginDir !== '' ? loginDir : join(baseDir, 'login');
    for (const uid of uids) {
      for (const protocol of protocols) {
        const services = poolShardServiceNames(protocol, uid, shards);
        this.byKey.set(`${protocol}:${uid}`, { shards: services.map((service) => ({ uid, protocol, service, socketPath: join(dir, service) })), next: 0 });
      }
    }
  }

  /** The service for the next user of `uid` (the pool's shards in turn), or undefined when the uid has none (exec or refuse). */
  forUid(protocol: MailProtocol, uid: number): HandoffPool | undefined {
    const pool = this.byKey.get(`${protocol}:${uid}`);
    if (!pool) return undefined;
    const shard = pool.shards[pool.next]!;
    pool.next = pool.next + 1 >= pool.shards.length ? 0 : pool.next + 1;
    return shard;
  }

  /** Every service (every shard of every pool). */
  all(): HandoffPool[] {
    return [...this.byKey.values()].flatMap((p) => p.shards);
  }
}

/** Parses `dovecot_handoff_uids` entries; throws Error naming a bad one. */
export function parsePoolUids(values: readonly string[], fallbackUid: number | undefined): number[] {
  const uids = values.map((v) => {
    if (!/^\d+$/.test(v) || Number(v) === 0) throw new Error(`dovecot_handoff_uids: "${v}" is not a uid (a positive integer)`);
    return Number(v);
  });
  if (uids.length === 0 && fallbackUid !== undefined) uids.push(fallbackUid);
  return [...new Set(uids)];
}
