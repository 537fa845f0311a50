/**
 * CIDR matching for option values such as `trusted_networks` (`127.0.0.0/8 ::1/128 10.1.2.3`), on top
 * of Node's `net.BlockList`. Addresses are compared in canonical form: an IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`, what a dual-stack socket reports) is matched as the IPv4 address it carries.
 */
import { BlockList } from 'node:net';
import { ipVersion as isIP } from './ip-version.js';

const MAPPED_V4 = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/** The canonical textual form of an IP address: IPv4-mapped IPv6 is unwrapped, IPv6 is lower-cased; other text is returned as is. */
export function canonicalAddress(address: string): string {
  const m = MAPPED_V4.exec(address);
  if (m) return m[1]!;
  return isIP(address) === 6 ? address.toLowerCase() : address;
}

/** One parsed network: address family, base address and prefix length. */
export interface Cidr {
  readonly family: 'ipv4' | 'ipv6';
  readonly address: string;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`, `x::y/n` or a bare address (a host network). Throws Error saying what is wrong. */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const address = canonicalAddress(slash < 0 ? text : text.slice(0, slash));
  const version = isIP(address);
  if (version === 0) throw new Error(`"${text}" is not an IP network (expected e.g. 192.0.2.0/24 or 2001:db8::/32)`);
  const max = version === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) throw new Error(`"${text}": prefix length must be 0..${max}`);
    prefix = Number(p);
  }
  return { family: version === 4 ? 'ipv4' : 'ipv6', address, prefix };
}

/** A set of networks that answers "is this address inside one of them". */
export class NetworkSet {
  private readonly list = new BlockList();

  /** Builds the set; throws Error naming the first entry that is not a network. */
  constructor(networks: readonly string[]) {
    for (const n of networks) {
      const c = parseCidr(n);
      this.list.addSubnet(c.address, c.prefix, c.family);
    }
  }

  /** True when `address` (any textual form, IPv4-mapped included) is in one of the networks; false for non-addresses. */
  contains(address: string): boolean {
    const a = canonicalAddress(address);
    const version = isIP(a);
    if (version === 0) return false;
    return this.list.check(a, version === 4 ? 'ipv4' : 'ipv6');
  }
}
