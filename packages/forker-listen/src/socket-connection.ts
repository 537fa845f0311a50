/**
 * The ClientConnection a worker hands to the login service for one accepted TCP connection. Plaintext:
 * `stream` and `socket` are the socket itself, so a backend can give its descriptor to the mail server.
 * After implicit TLS, `stream` is the TLS socket and `socket` is gone (TLS stays with us, DESIGN.md
 * "Local handoff"). STARTTLS is not supplied here: login-common adds it (`withStartTls`) with its own
 * TLS context provider, which also serves SNI certificates.
 */
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ClientConnection, Endpoint, Logger, TlsInfo } from '@pigeondeliver/core';
import { PrefixedStream } from './prefixed-stream.js';

/** What a {@link SocketConnection} is made of. */
export interface SocketConnectionSettings {
  readonly sessionId: string;
  readonly socket: Socket;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  readonly trusted: boolean;
  readonly log: Logger;
  /** Bytes already read from the socket (after a PROXY header) that belong to the client. */
  readonly prefix?: Buffer;
  /** Present when TLS is configured: needed for implicit TLS. */
  readonly secureContext?: SecureContext;
  readonly requestClientCert?: boolean;
  /** Limit for a TLS handshake, in ms. */
  readonly handshakeTimeout: number;
}

/** See the file comment. */
export class SocketConnection implements ClientConnection {
  readonly sessionId: string;
  readonly local: Endpoint;
  readonly trusted: boolean;
  readonly log: Logger;
  remote: Endpoint;
  stream: Duplex;
  socket?: Socket;
  secured = false;
  tls?: TlsInfo;
  private readonly raw: Socket;
  private prefix: Buffer;

  constructor(private readonly settings: SocketConnectionSettings) {
    this.sessionId = settings.sessionId;
    this.raw = settings.socket;
    this.remote = settings.remote;
    this.local = settings.local;
    this.trusted = settings.trusted;
    this.log = settings.log;
    this.prefix = settings.prefix ?? Buffer.alloc(0);
    this.stream = this.raw;
    this.socket = this.raw;
    if (this.prefix.length > 0) this.raw.unshift(this.prefix);
  }

  /** Implicit TLS (RFC 8314 §3.3): the handshake before any protocol byte. */
  async startImplicitTls(): Promise<void> {
    const context = this.settings.secureContext;
    if (!context) throw new Error('TLS is not configured');
    if (this.secured) throw new Error('TLS is already active');
    let base: Duplex = this.raw;
    if (this.raw.readableLength > 0) {
      const pending: Buffer[] = [];
      for (let c = this.raw.read() as Buffer | null; c !== null; c = this.raw.read() as Buffer | null) pending.push(c);
      base = new PrefixedStream(this.raw, Buffer.concat(pending));
    }
    const tls = new TLSSocket(base as Socket, {
      isServer: true,
      secureContext: context,
      requestCert: this.settings.requestClientCert ?? false,
      rejectUnauthorized: false,
    });
    this.socket = undefined;
    this.stream = tls;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`TLS handshake took longer than ${this.settings.handshakeTimeout} ms`)), this.settings.handshakeTimeout);
      const fail = (e: Error) => {
        clearTimeout(timer);
        tls.destroy();
        this.raw.destroy();
        reject(e);
      };
      tls.once('secure', () => {
        clearTimeout(timer);
        tls.off('error', fail);
        tls.on('error', (e) => this.log.debug({ err: e.message }, 'tls error'));
        resolve();
      });
      tls.once('error', fail);
      tls.once('close', () => fail(new Error('connection closed during the TLS handshake')));
    });
    this.secured = true;
    this.tls = tlsInfoOf(tls, this.settings.requestClientCert ?? false);
    this.log.debug({ protocol: this.tls.protocol, cipher: this.tls.cipher }, 'tls established');
  }

  close(): void {
    // destroy(), never end(): shutdown(2) would also cut a backend's duplicate of the descriptor.
    const s = this.stream;
    if (s.writableLength > 0 && !s.destroyed) {
      const t = setTimeout(() => s.destroy(), 1000);
      s.once('drain', () => {
        clearTimeout(t);
        s.destroy();
        this.raw.destroy();
      });
      return;
    }
    s.destroy();
    this.raw.destroy();
  }
}

function tlsInfoOf(tls: TLSSocket, withPeer: boolean): TlsInfo {
  const servername = typeof (tls as { servername?: unknown }).servername === 'string' ? (tls as unknown as { servername: string }).servername : undefined;
  const info: { protocol: string; cipher: string; servername?: string; peerCertificate?: TlsInfo['peerCertificate'] } = {
    protocol: tls.getProtocol() ?? 'unknown',
    cipher: tls.getCipher()?.name ?? 'unknown',
  };
  if (servername) info.servername = servername;
  if (withPeer) {
    const cert = tls.getPeerCertificate();
    if (cert && cert.subject) {
      info.peerCertificate = { subject: { ...cert.subject } as Record<string, string | string[]>, fingerprint256: cert.fingerprint256, authorized: tls.authorized };
    }
  }
  return info;
}
