/**
 * The protocol-neutral factory every forker uses to turn an accepted socket (or an inherited
 * descriptor: inetd nowait, systemd Accept=yes) into a {@link SocketConnection}: a fresh session id,
 * canonical endpoints (IPv4-mapped IPv6 unwrapped), `trusted` from `trusted_networks`, a child logger
 * bound to the session, and the TLS settings.
 */
import type { Socket } from 'node:net';
import { CORE_OPTIONS } from '../core-options.js';
import { ConfigError } from '../errors.js';
import type { Endpoint } from '../contracts/endpoint.js';
import type { Logger } from '../logging.js';
import type { ResolvedOptions } from '../options.js';
import { NetworkSet } from '../network/cidr.js';
import { socketFromDescriptor } from './descriptor-socket.js';
import { formatEndpoint, socketEndpoints } from './endpoints.js';
import { newSessionId } from './session-id.js';
import { SocketConnection, type ConnectionTls } from './socket-connection.js';
import { readTlsMaterial, secureContextOf, sniContextsOf } from './tls-material.js';

/** Settings of a {@link ConnectionFactory}. */
export interface ConnectionFactorySettings {
  /** The process logger; each connection gets a child with `session` and `remote`. */
  readonly logger: Logger;
  /** Clients from these networks are `trusted`. */
  readonly trustedNetworks: NetworkSet;
  /** TLS, when the forker terminates it (implicit TLS, or STARTTLS offered by the forker). */
  readonly tls?: ConnectionTls;
  /** Extra fields on every session's log lines (listener or service name). */
  readonly fields?: Readonly<Record<string, string | number>>;
}

/** What a forker may know better than the socket (a PROXY header's addresses, bytes it already read). */
export interface ConnectionOverrides {
  readonly sessionId?: string;
  readonly remote?: Endpoint;
  readonly local?: Endpoint;
  /** Client bytes already read from the socket; the protocol reads them first. */
  readonly prefix?: Buffer;
}

/** See the file comment. */
export class ConnectionFactory {
  constructor(readonly settings: ConnectionFactorySettings) {}

  /** Wraps an accepted (connected) socket. */
  fromSocket(socket: Socket, overrides: ConnectionOverrides = {}): SocketConnection {
    const own = socketEndpoints(socket);
    const remote = overrides.remote ?? own.remote;
    const local = overrides.local ?? own.local;
    const sessionId = overrides.sessionId ?? newSessionId();
    const log = this.settings.logger.child({ session: sessionId, remote: formatEndpoint(remote), ...this.settings.fields });
    return new SocketConnection({
      sessionId,
      socket,
      remote,
      local,
      trusted: this.settings.trustedNetworks.contains(remote.address),
      log,
      prefix: overrides.prefix,
      tls: this.settings.tls,
    });
  }

  /** Wraps an inherited, connected socket descriptor (inetd nowait: fd 0). See {@link socketFromDescriptor}. */
  fromDescriptor(fd: number, overrides: ConnectionOverrides = {}): SocketConnection {
    return this.fromSocket(socketFromDescriptor(fd), overrides);
  }
}

/** How {@link connectionFactoryFromOptions} sets up TLS. */
export interface FactoryFromOptionsSettings {
  /** Fields on every session's log lines. */
  readonly fields?: Readonly<Record<string, string | number>>;
  /**
   * `off`: no TLS files are read (the login service adds STARTTLS itself); `if-configured` (default):
   * read them when tls_cert is set; `required`: tls_cert/tls_key must be set, and the error names
   * `tlsRequiredBy` (e.g. `postfix_implicit_tls`).
   */
  readonly tls?: 'off' | 'if-configured' | 'required';
  /** What needs TLS, for the message when `tls` is `required`. */
  readonly tlsRequiredBy?: string;
  /** Offer STARTTLS from this material (default false: the login service adds its own). */
  readonly offerStartTls?: boolean;
  /** Handshake limit in ms (default 10 s). */
  readonly handshakeTimeout?: number;
}

/**
 * Builds a factory from validated options: `trusted_networks` (core) and the TLS files (`tls_cert`,
 * `tls_key`, `tls_sni_certs`, `tls_ca`, `tls_min_version`, `tls_request_client_cert`, read by key). ConfigError names
 * the key at fault.
 */
export function connectionFactoryFromOptions(options: ResolvedOptions, logger: Logger, settings: FactoryFromOptionsSettings = {}): ConnectionFactory {
  let trustedNetworks: NetworkSet;
  try {
    trustedNetworks = new NetworkSet(options.get(CORE_OPTIONS.trustedNetworks));
  } catch (e) {
    throw new ConfigError(`bad value for trusted_networks: ${(e as Error).message}`, 'trusted_networks');
  }
  const mode = settings.tls ?? 'if-configured';
  const material = mode === 'off' ? undefined : readTlsMaterial((k) => options.rawValue(k), mode === 'required' ? (settings.tlsRequiredBy ?? 'this service') : undefined);
  const tls: ConnectionTls | undefined = material
    ? {
        context: secureContextOf(material),
        contextFor: sniContextsOf(material),
        requestCert: material.requestCert,
        handshakeTimeout: settings.handshakeTimeout ?? 10_000,
        offerStartTls: settings.offerStartTls ?? false,
      }
    : undefined;
  return new ConnectionFactory({ logger, trustedNetworks, tls, fields: settings.fields });
}
