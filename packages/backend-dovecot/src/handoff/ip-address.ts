/**
 * Textual IP address -> Dovecot's `struct ip_addr` bytes (src/lib/net.h in 2.3: `unsigned short
 * family` + 2 padding bytes + a 16-byte union, IPv4 in its first 4 bytes, network order).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Linux AF_INET / AF_INET6. */
export const AF_INET = 2;
export const AF_INET6 = 10;

/** A parsed address: family 0 means "unknown" (all zero bytes, as Dovecot's own zeroed struct). */
export interface IpBytes {
  readonly family: 0 | typeof AF_INET | typeof AF_INET6;
  readonly bytes: Buffer;
}

function ipv4Bytes(text: string): Buffer {
  return Buffer.from(text.split('.').map((p) => Number(p)));
}

/** Parses an IPv6 address (with `::` and an optional dotted IPv4 tail) into 16 bytes. */
function ipv6Bytes(text: string): Buffer {
  // A dotted IPv4 tail is two 16-bit words: rewrite it in hex first.
  const hex = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const words = (s: string): number[] => (s.length > 0 ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const double = hex.indexOf('::');
  let all: number[];
  if (double < 0) all = words(hex);
  else {
    const left = words(hex.slice(0, double));
    const right = words(hex.slice(double + 2));
    all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  const out = Buffer.alloc(16);
  all.slice(0, 8).forEach((w, i) => out.writeUInt16BE(w, i * 2));
  return out;
}

/** Parses `address`; IPv4-mapped IPv6 (`::ffff:a.b.c.d`) becomes IPv4, as Dovecot normalizes it. */
export function parseIpAddress(address: string | undefined): IpBytes {
  if (!address) return { family: 0, bytes: Buffer.alloc(16) };
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const text = mapped ? mapped[1]! : address;
  if (isIPv4(text)) {
    const bytes = Buffer.alloc(16);
    ipv4Bytes(text).copy(bytes);
    return { family: AF_INET, bytes };
  }
  const bare = text.replace(/%.*$/, '');
  if (isIPv6(bare)) return { family: AF_INET6, bytes: ipv6Bytes(bare) };
  return { family: 0, bytes: Buffer.alloc(16) };
}
