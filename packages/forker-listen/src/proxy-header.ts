/**
 * Reads the PROXY protocol header (HAProxy's proxy-protocol.txt, v1 text and v2 binary) that a trusted
 * load balancer sends before any client byte. Framing and bounds are ours: the header must be the first
 * bytes, a v1 line is at most 107 bytes (spec §2.1), a v2 header at most {@link MAX_V2_HEADER} bytes
 * (16 + addresses + TLVs; spec §2.2 says 536 bytes always fit), and it must arrive within a time limit.
 * The bytes of exactly one header are then given to proxy-protocol-js to decode. Anything else (no
 * header, a malformed or oversized one, a timeout) is a {@link ProxyHeaderError}: the caller closes the
 * connection without a reply (the peer is a proxy, not a mail client).
 */
import { isIP, SocketAddress, type Socket } from 'node:net';
import { V1ProxyProtocol, V2ProxyProtocol, Command, IPv4ProxyAddress, IPv6ProxyAddress } from 'proxy-protocol-js';
import { canonicalAddress, type Endpoint } from '@pigeondeliver/core';

/** Longest v1 header line, CRLF included (spec §2.1). */
export const MAX_V1_HEADER = 107;
/** Largest v2 header accepted: 16 fixed bytes + address block + TLVs (spec §2.2: 536 bytes always fit). */
export const MAX_V2_HEADER = 536;

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_SIGNATURE = Buffer.from('PROXY ', 'latin1');

/** Why a header was refused. */
export enum ProxyHeaderFailure {
  Missing = 'missing',
  Malformed = 'malformed',
  Oversized = 'oversized',
  Timeout = 'timeout',
  Closed = 'closed',
}

/** The header was missing, malformed, too big or too slow. */
export class ProxyHeaderError extends Error {
  constructor(
    readonly failure: ProxyHeaderFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ProxyHeaderError';
  }
}

/** What a header said. `remote`/`local` are undefined for LOCAL (v2) and UNKNOWN (v1): keep the socket's. */
export interface ProxyHeader {
  readonly version: 1 | 2;
  readonly remote?: Endpoint;
  readonly local?: Endpoint;
  /** Bytes received after the header (client data), to be read before the socket's own. */
  readonly rest: Buffer;
}

/** Outcome of feeding bytes to {@link decodeProxyHeader}: a header, or "need more bytes". */
export type DecodeResult = { readonly header: ProxyHeader } | { readonly needMore: true };

/** Decodes a header at the start of `data`; throws {@link ProxyHeaderError} when it cannot be one. */
export function decodeProxyHeader(data: Buffer): DecodeResult {
  if (startsWithPrefixOf(data, V2_SIGNATURE)) {
    if (data.length < 16) return { needMore: true };
    const total = 16 + data.readUInt16BE(14);
    if (total > MAX_V2_HEADER) throw new ProxyHeaderError(ProxyHeaderFailure.Oversized, `PROXY v2 header of ${total} bytes (limit ${MAX_V2_HEADER})`);
    if (data.length < total) return { needMore: true };
    return { header: decodeV2(data.subarray(0, total), Buffer.from(data.subarray(total))) };
  }
  if (startsWithPrefixOf(data, V1_SIGNATURE)) {
    const end = data.indexOf('\r\n');
    if (end < 0) {
      if (data.length >= MAX_V1_HEADER) throw new ProxyHeaderError(ProxyHeaderFailure.Oversized, `PROXY v1 line longer than ${MAX_V1_HEADER} bytes`);
      return { needMore: true };
    }
    if (end + 2 > MAX_V1_HEADER) throw new ProxyHeaderError(ProxyHeaderFailure.Oversized, `PROXY v1 line longer than ${MAX_V1_HEADER} bytes`);
    return { header: decodeV1(data.subarray(0, end).toString('latin1'), Buffer.from(data.subarray(end + 2))) };
  }
  throw new ProxyHeaderError(ProxyHeaderFailure.Missing, 'the connection did not start with a PROXY protocol header');
}

function startsWithPrefixOf(data: Buffer, signature: Buffer): boolean {
  const n = Math.min(data.length, signature.length);
  return n > 0 && data.subarray(0, n).equals(signature.subarray(0, n));
}

function decodeV1(line: string, rest: Buffer): ProxyHeader {
  // "PROXY UNKNOWN ..." : the proxy does not know the addresses (spec §2.1): keep the socket's.
  if (/^PROXY UNKNOWN( |$)/.test(line)) return { version: 1, rest };
  let parsed: V1ProxyProtocol;
  try {
    parsed = V1ProxyProtocol.parse(`${line}\r\n`);
  } catch {
    throw new ProxyHeaderError(ProxyHeaderFailure.Malformed, `malformed PROXY v1 line "${printable(line)}"`);
  }
  const family = String(parsed.inetProtocol) === 'TCP4' ? 4 : 6;
  const remote = endpoint(parsed.source.ipAddress, parsed.source.port, family);
  const local = endpoint(parsed.destination.ipAddress, parsed.destination.port, family);
  if (!remote || !local) throw new ProxyHeaderError(ProxyHeaderFailure.Malformed, `malformed PROXY v1 addresses "${printable(line)}"`);
  return { version: 1, remote, local, rest };
}

function decodeV2(bytes: Buffer, rest: Buffer): ProxyHeader {
  let parsed: V2ProxyProtocol;
  try {
    parsed = V2ProxyProtocol.parse(new Uint8Array(bytes));
  } catch (e) {
    throw new ProxyHeaderError(ProxyHeaderFailure.Malformed, `malformed PROXY v2 header: ${(e as { message?: string }).message ?? 'unparsable'}`);
  }
  // LOCAL: the proxy's own connection (health check), spec §2.2: use the real addresses.
  if (parsed.command === Command.LOCAL) return { version: 2, rest };
  const a = parsed.proxyAddress;
  if (a instanceof IPv4ProxyAddress) {
    return { version: 2, remote: { address: a.sourceAddress.address.join('.'), port: a.sourcePort }, local: { address: a.destinationAddress.address.join('.'), port: a.destinationPort }, rest };
  }
  if (a instanceof IPv6ProxyAddress) {
    return { version: 2, remote: { address: ipv6Text(a.sourceAddress.address), port: a.sourcePort }, local: { address: ipv6Text(a.destinationAddress.address), port: a.destinationPort }, rest };
  }
  // UNSPEC or UNIX: no IP addresses to forward; keep the socket's (spec §2.2 "the receiver must ignore").
  return { version: 2, rest };
}

function ipv6Text(bytes: readonly number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return canonicalAddress(new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address);
}

function endpoint(address: string, port: number, family: 4 | 6): Endpoint | undefined {
  if (isIP(address) !== family || !Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  return { address: canonicalAddress(address), port };
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_V1_HEADER);
}

/**
 * Reads one header from a paused socket, within `timeoutMs`. Leaves the socket paused with no listener
 * of ours; rejects with {@link ProxyHeaderError}.
 */
export function readProxyHeader(socket: Socket, timeoutMs: number): Promise<ProxyHeader> {
  return new Promise((resolve, reject) => {
    let data: Buffer = Buffer.alloc(0);
    const done = (err: ProxyHeaderError | undefined, header?: ProxyHeader) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
      socket.pause();
      if (err) reject(err);
      else resolve(header!);
    };
    const onData = (chunk: Buffer) => {
      data = data.length === 0 ? chunk : Buffer.concat([data, chunk]);
      try {
        const r = decodeProxyHeader(data);
        if ('header' in r) done(undefined, r.header);
      } catch (e) {
        done(e as ProxyHeaderError);
      }
    };
    const onClose = () => done(new ProxyHeaderError(ProxyHeaderFailure.Closed, 'the connection closed before the PROXY header'));
    const timer = setTimeout(() => done(new ProxyHeaderError(ProxyHeaderFailure.Timeout, `no PROXY header within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onClose);
    socket.resume();
  });
}
