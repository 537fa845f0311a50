/**
 * Server-side STARTTLS (IMAP RFC 3501 §6.2.1 / RFC 9051 §6.2.1, POP3 RFC 2595 §4): one upgrade helper
 * for both protocols, so the upgrade is not written three times (code-style anti-pattern 10).
 */
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { ClientConnection, Endpoint, Logger, TlsInfo } from '@pigeondeliver/core';
import { tlsInfoOf } from './tls-info.js';
import type { TlsContextProvider } from './tls-context-provider.js';

/** Default time allowed for a TLS handshake. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;

/**
 * Runs a server-side TLS handshake on `socket` (a net.Socket or any Duplex) and resolves with the TLS
 * socket once it is established; rejects on handshake failure, close or timeout (the caller closes).
 */
export function upgradeToTls(
  socket: Duplex,
  provider: TlsContextProvider,
  handshakeTimeoutMs: number = DEFAULT_HANDSHAKE_TIMEOUT_MS,
): Promise<TLSSocket> {
  return new Promise<TLSSocket>((resolve, reject) => {
    const tlsSocket = new TLSSocket(socket as Socket, { isServer: true, ...provider.serverOptions() });
    const timer = setTimeout(() => done(new Error('TLS handshake timed out')), handshakeTimeoutMs);
    timer.unref();
    const onError = (e: Error): void => done(new Error(`TLS handshake failed: ${e.message}`));
    const onClose = (): void => done(new Error('connection closed during the TLS handshake'));
    function done(error?: Error): void {
      clearTimeout(timer);
      tlsSocket.off('secure', onSecure);
      tlsSocket.off('error', onError);
      tlsSocket.off('close', onClose);
      if (error) {
        tlsSocket.on('error', () => undefined);
        tlsSocket.destroy();
        reject(error);
      } else {
        resolve(tlsSocket);
      }
    }
    function onSecure(): void {
      if (provider.verifiesClientCertificates) recordClientVerification(tlsSocket);
      done();
    }
    tlsSocket.once('secure', onSecure);
    tlsSocket.once('error', onError);
    tlsSocket.once('close', onClose);
  });
}

/**
 * Sets `authorized` / `authorizationError` from OpenSSL's verification of the client certificate.
 * Node computes them only for sockets accepted by a `tls.Server`; a socket upgraded in place
 * (STARTTLS) gets the same check here, through the same handle call Node's server uses.
 */
function recordClientVerification(tlsSocket: TLSSocket): void {
  const handle = (tlsSocket as unknown as { _handle?: { verifyError?: () => (Error & { code?: string }) | null } })._handle;
  if (typeof handle?.verifyError !== 'function') return;
  const error = handle.verifyError();
  if (error) tlsSocket.authorizationError = error;
  else tlsSocket.authorized = true;
}

/** The mutable parts of a connection that STARTTLS changes. */
export interface StartTlsTarget {
  stream: Duplex;
  secured: boolean;
  tls?: TlsInfo;
}

/**
 * Makes a `ClientConnection.startTls` for a forker's connection: upgrades `target.stream` and then
 * points `stream`, `secured` and `tls` at the TLS session. The login service discards buffered
 * plaintext before calling it.
 */
export function createStartTls(target: StartTlsTarget, provider: TlsContextProvider, handshakeTimeoutMs?: number): () => Promise<void> {
  return async () => {
    if (target.secured) throw new Error('TLS is already active on this connection');
    const tlsSocket = await upgradeToTls(target.stream, provider, handshakeTimeoutMs);
    target.stream = tlsSocket;
    target.secured = true;
    target.tls = tlsInfoOf(tlsSocket);
  };
}

/**
 * A {@link ClientConnection} that adds STARTTLS (through `provider`) to a connection whose forker did
 * not supply it. After the upgrade `socket` and `stdioDescriptors` are undefined: the session is
 * encrypted by us, so a backend must relay instead of taking the descriptor.
 */
export class TlsUpgradableConnection implements ClientConnection {
  private readonly target: StartTlsTarget;
  private tlsSocket: TLSSocket | undefined;

  constructor(
    private readonly inner: ClientConnection,
    private readonly provider: TlsContextProvider,
    private readonly handshakeTimeoutMs: number = DEFAULT_HANDSHAKE_TIMEOUT_MS,
  ) {
    this.target = { stream: inner.stream, secured: inner.secured, tls: inner.tls };
  }

  get sessionId(): string {
    return this.inner.sessionId;
  }
  get stream(): Duplex {
    return this.target.stream;
  }
  get socket(): Socket | undefined {
    return this.tlsSocket ? undefined : this.inner.socket;
  }
  get stdioDescriptors(): readonly [number, number] | undefined {
    return this.tlsSocket ? undefined : this.inner.stdioDescriptors;
  }
  get remote(): Endpoint {
    return this.inner.remote;
  }
  set remote(value: Endpoint) {
    this.inner.remote = value;
  }
  get local(): Endpoint {
    return this.inner.local;
  }
  get secured(): boolean {
    return this.target.secured;
  }
  get tls(): TlsInfo | undefined {
    return this.target.tls;
  }
  get trusted(): boolean {
    return this.inner.trusted;
  }
  get log(): Logger {
    return this.inner.log;
  }

  /** Upgrades with the provider (see {@link createStartTls}). */
  async startTls(): Promise<void> {
    if (this.target.secured) throw new Error('TLS is already active on this connection');
    this.tlsSocket = await upgradeToTls(this.target.stream, this.provider, this.handshakeTimeoutMs);
    this.target.stream = this.tlsSocket;
    this.target.secured = true;
    this.target.tls = tlsInfoOf(this.tlsSocket);
  }

  close(): void {
    this.tlsSocket?.destroy();
    this.inner.close();
  }
}

/**
 * The connection a login service should work with: the forker's own when it supports STARTTLS (or is
 * already secured), else one that adds STARTTLS through `provider` when a certificate is configured.
 */
export function withStartTls(connection: ClientConnection, provider: TlsContextProvider | undefined): ClientConnection {
  if (connection.secured || connection.startTls || !provider?.available) return connection;
  return new TlsUpgradableConnection(connection, provider);
}
