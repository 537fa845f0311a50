/**
 * The `trusted_networks` matcher: clients on these networks count as secured for plaintext
 * authentication, skip the failure penalty and may forward the real client address (IMAP ID
 * `x-originating-ip`, POP3 XCLIENT, PROXY protocol).
 */
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '@pigeondeliver/core';

/** Matches addresses against a CIDR list (IPv4 and IPv6; IPv4-mapped IPv6 counts as IPv4). */
export class TrustedNetworks {
  private readonly list = new BlockList();
  /** The CIDRs as given, for logs. */
  readonly cidrs: readonly string[];

  /** Throws ConfigError (key `trusted_networks`) for an entry that is not an address or CIDR. */
  constructor(cidrs: readonly string[]) {
    this.cidrs = [...cidrs];
    for (const entry of cidrs) {
      const [address, bits, extra] = entry.split('/');
      const family = isIP(address ?? '');
      const max = family === 4 ? 32 : 128;
      const prefix = bits === undefined ? max : Number(bits);
      if (family === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && !/^\d+$/.test(bits))) {
        throw new ConfigError(`bad trusted_networks entry "${entry}": expected an address or CIDR such as 10.0.0.0/8 or 2001:db8::/32`, 'trusted_networks');
      }
      this.list.addSubnet(address!, prefix, family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** The address is on a trusted network. Empty or malformed addresses are never trusted. */
  contains(address: string): boolean {
    const plain = unmapIpv4(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** `::ffff:192.0.2.1` -> `192.0.2.1`; other addresses unchanged. */
export function unmapIpv4(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}
