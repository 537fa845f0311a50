/**
 * Per-uid process pools (docs/dovecot-login-handoff.md §1, condition 1): a reused imap/pop3 process
 * drops privileges for good to its first user's uid, and dies (`setgid ... Operation not permitted`)
 * when a user of another uid lands in it. So every pooled uid gets its own Dovecot services
 * `imap-uid<N>` / `pop3-uid<N>` with their own login sockets, and a user is only ever routed to the
 * pool of the user's own uid.
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

/** Service name of the pool of `uid`. */
export function poolServiceName(protocol: MailProtocol, uid: number): string {
  return `${protocol}-uid${uid}`;
}

/** The pools, by uid. */
export class HandoffPools {
  private readonly byKey = new Map<string, HandoffPool>();

  constructor(
    readonly uids: readonly number[],
    baseDir: string,
    readonly protocols: readonly MailProtocol[] = ['imap', 'pop3'],
    /** Directory of the login sockets when not Dovecot's `<base_dir>/login` (dovecot_handoff_login_dir). */
    loginDir?: string,
  ) {
    const dir = loginDir && loginDir !== '' ? loginDir : join(baseDir, 'login');
    for (const uid of uids) {
      for (const protocol of protocols) {
        const service = poolServiceName(protocol, uid);
        this.byKey.set(`${protocol}:${uid}`, { uid, protocol, service, socketPath: join(dir, service) });
      }
    }
  }

  /** The pool for a user of `uid`, or undefined when the uid has none (exec or refuse). */
  forUid(protocol: MailProtocol, uid: number): HandoffPool | undefined {
    return this.byKey.get(`${protocol}:${uid}`);
  }

  /** Every pool. */
  all(): HandoffPool[] {
    return [...this.byKey.values()];
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
