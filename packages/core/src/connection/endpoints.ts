/**
 * The two ends of a socket as {@link Endpoint}s, in canonical form: an IPv4-mapped IPv6 address (what
 * a dual-stack listener reports for an IPv4 client, `::ffff:192.0.2.1`) is unwrapped to `192.0.2.1`,
 * so trusted-network checks, logs and backends (`IP`, `TCPREMOTEIP`) see one spelling.
 */
import type { Socket } from 'node:net';
import { UNKNOWN_ENDPOINT, type Endpoint } from '../contracts/endpoint.js';
import { canonicalAddress } from '../network/cidr.js';

/** An endpoint from an address and port as Node reports them (undefined for Unix sockets). */
export function endpointOf(address: string | undefined, port: number | undefined): Endpoint {
  if (!address) return UNKNOWN_ENDPOINT;
  return { address: canonicalAddress(address), port: port ?? 0 };
}

/** The peer (`remote`) and our side (`local`) of a connected socket. */
export function socketEndpoints(socket: Socket): { remote: Endpoint; local: Endpoint } {
  return { remote: endpointOf(socket.remoteAddress, socket.remotePort), local: endpointOf(socket.localAddress, socket.localPort) };
}

/** `address:port` for logs (`[v6]:port` for IPv6), `unknown` when nothing is known. */
export function formatEndpoint(e: Endpoint): string {
  if (!e.address) return 'unknown';
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}
