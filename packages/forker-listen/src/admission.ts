/**
 * Connection limits of the whole daemon, kept by the primary so they hold across workers: pre-login
 * connections in total and per client address, and new connections per second in total and per
 * address (fixed one-second windows). Each refusal names the RejectReason the login service turns
 * into its protocol's goodbye (IMAP `* BYE`, POP3 `-ERR`).
 */
import { RejectReason } from '@pigeondeliver/core';

/** The limits; 0 means "no limit". */
export interface AdmissionLimits {
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  readonly connectionRate: number;
  readonly connectionRatePerIp: number;
}

/** See the file comment. */
export class Admission {
  private total = 0;
  private readonly perIp = new Map<string, number>();
  private windowStart = 0;
  private windowCount = 0;
  private windowPerIp = new Map<string, number>();

  constructor(
    private limits: AdmissionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** New limits (SIGHUP); the counts are kept. */
  update(limits: AdmissionLimits): void {
    this.limits = limits;
  }

  /** Counts a new connection from `ip`, or says why it is refused (then nothing is counted). */
  admit(ip: string): RejectReason | undefined {
    const l = this.limits;
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.windowCount = 0;
      this.windowPerIp = new Map();
    }
    const held = this.perIp.get(ip) ?? 0;
    if (l.connectionRate > 0 && this.windowCount >= l.connectionRate) return RejectReason.RateLimited;
    const ipRate = this.windowPerIp.get(ip) ?? 0;
    if (l.connectionRatePerIp > 0 && ipRate >= l.connectionRatePerIp) return RejectReason.RateLimited;
    if (l.maxConnections > 0 && this.total >= l.maxConnections) return RejectReason.TooManyConnections;
    if (l.maxConnectionsPerIp > 0 && held >= l.maxConnectionsPerIp) return RejectReason.TooManyFromAddress;
    this.windowCount++;
    this.windowPerIp.set(ip, ipRate + 1);
    this.total++;
    this.perIp.set(ip, held + 1);
    return undefined;
  }

  /** The connection from `ip` left the pre-login phase (closed or handed to a backend). */
  release(ip: string): void {
    const held = this.perIp.get(ip);
    if (held === undefined) return;
    if (held <= 1) this.perIp.delete(ip);
    else this.perIp.set(ip, held - 1);
    this.total = Math.max(0, this.total - 1);
  }

  /** Releases everything a vanished worker held. */
  releaseAll(ips: Iterable<string>): void {
    for (const ip of ips) this.release(ip);
  }

  /** Pre-login connections counted now. */
  get connections(): number {
    return this.total;
  }
}
