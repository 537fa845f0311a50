/** The key under which a client address's failures are counted: IPv4 address, or IPv6 prefix. */
import { isIP } from 'node:net';
import { unmapIpv4 } from './trusted-networks.js';

/** Expands an IPv6 address to its 8 groups. Returns undefined when it is not IPv6. */
function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.split('%')[0]!;
  // A trailing dotted IPv4 part counts as two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/**
 * The penalty key of an address: IPv4 addresses as they are (IPv4-mapped IPv6 unwrapped), IPv6
 * addresses cut to `ipv6Prefix` bits (one end site usually holds a /64, so counting single IPv6
 * addresses would let one client rotate through 2^64 of them).
 */
export function addressPrefixKey(address: string, ipv6Prefix: number): string {
  const plain = unmapIpv4(address);
  const groups = ipv6Groups(plain);
  if (!groups) return plain;
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    const bits = Math.max(0, Math.min(16, ipv6Prefix - i * 16));
    const mask = bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
    out.push((groups[i]! & mask).toString(16));
  }
  return `${out.join(':')}/${ipv6Prefix}`;
}
