/**
 * The {@link ClientConnection} of one connected socket, whatever launched us (daemon, inetd, Postfix
 * master, systemd). Plaintext: `stream` and `socket` are the socket itself, so a backend can give its
 * descriptor to the mail server and nothing stays in the middle. Once TLS is active (implicit TLS,
 * RFC 8314 §3.3, or STARTTLS), `stream` is the TLS socket and `socket` is undefined: TLS stays with
 * us and backends relay (DESIGN.md "Local handoff").
 *
 * `close()` destroys our copy of the descriptor and never ends it: `end()` would shutdown(2) the
 * connection, which also cuts a backend that holds a duplicate of the same socket.
 */
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ClientConnection, TlsInfo } from '../contracts/connection.js';
import type { Endpoint } from '../contracts/endpoint.js';
import type { Logger } from '../logging.js';
import { PrefixedStream } from './prefixed-stream.js';
import { tlsInfoOfSocket } from './tls-material.js';

/** How this connection may start TLS. */
export interface ConnectionTls {
  /** The default context (tls_cert). */
  readonly context: SecureContext;
  /**
   * The context for the server name the client sent (SNI, RFC 6066 §3; `tls_sni_certs`), undefined
   * for the default one. Absent: `context` for every name.
   */
  readonly contextFor?: (servername: string) => SecureContext | undefined;
  /** Ask for a client certificate (never required; its facts end up in `tls.peerCertificate`). */
  readonly requestCert: boolean;
  /** Limit for one handshake, in ms. */
  readonly handshakeTimeout: number;
  /**
   * Supply `startTls` (STARTTLS/STLS) from this context. Leave false to let the login service add
   * STARTTLS with its own context provider (login-common's `withStartTls`, which also serves SNI).
   */
  readonly offerStartTls: boolean;
}

/** What a {@link SocketConnection} is made of. */
export interface SocketConnectionSettings {
  readonly sessionId: string;
  readonly socket: Socket;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  readonly trusted: boolean;
  /** Logger already bound to the session (see ConnectionFactory). */
  readonly log: Logger;
  /** Bytes already read from the socket (after a PROXY header) that belong to the client. */
  readonly prefix?: Buffer;
  /** Present when TLS is configured. */
  readonly tls?: ConnectionTls;
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
  /** STARTTLS with the forker's certificate; present only when the settings offer it. */
  startTls?: () => Promise<void>;
  /** The accepted socket itself, also after TLS started (its 'close' is the end of the connection). */
  readonly raw: Socket;
  private readonly tlsSettings?: ConnectionTls;

  constructor(settings: SocketConnectionSettings) {
    this.sessionId = settings.sessionId;
    this.raw = settings.socket;
    this.remote = settings.remote;
    this.local = settings.local;
    this.trusted = settings.trusted;
    this.log = settings.log;
    this.tlsSettings = settings.tls;
    this.stream = this.raw;
    this.socket = this.raw;
    const prefix = settings.prefix ?? Buffer.alloc(0);
    if (prefix.length > 0) this.raw.unshift(prefix);
    if (settings.tls?.offerStartTls) this.startTls = () => this.starttls();
  }

  /** Implicit TLS (RFC 8314 §3.3): the handshake before any protocol byte. Bytes already buffered are the ClientHello. */
  async startImplicitTls(): Promise<void> {
    if (this.secured) throw new Error('TLS is already active');
    let base: Duplex = this.raw;
    if (this.raw.readableLength > 0) base = new PrefixedStream(this.raw, this.drainBuffered());
    await this.handshake(base);
  }

  /**
   * STARTTLS (IMAP RFC 3501 §6.2.1 / RFC 9051 §6.2.1, POP3 RFC 2595 §4): plaintext the client sent
   * after the command and before the handshake is discarded, so it cannot be injected into the TLS
   * session. A failed handshake destroys the connection (it cannot return to plaintext).
   */
  private async starttls(): Promise<void> {
    if (this.secured) throw new Error('TLS is already active');
    this.drainBuffered();
    await this.handshake(this.raw);
  }

  private drainBuffered(): Buffer {
    const chunks: Buffer[] = [];
    for (let c = this.raw.read() as Buffer | null; c !== null; c = this.raw.read() as Buffer | null) chunks.push(c);
    return Buffer.concat(chunks);
  }

  private async handshake(base: Duplex): Promise<void> {
    const settings = this.tlsSettings;
    if (!settings) throw new Error('TLS is not configured (set tls_cert and tls_key)');
    const tls = new TLSSocket(base as Socket, {
      isServer: true,
      secureContext: settings.context,
      SNICallback: settings.contextFor ? sniCallback(settings.contextFor, settings.context) : undefined,
      requestCert: settings.requestCert,
      rejectUnauthorized: false,
    });
    this.socket = undefined;
    this.stream = tls;
    await new Promise<void>((resolve, reject) => {
      const fail = (e: Error): void => {
        clearTimeout(timer);
        tls.off('secure', onSecure);
        tls.on('error', () => undefined);
        tls.destroy();
        this.raw.destroy();
        reject(e);
      };
      const onSecure = (): void => {
        clearTimeout(timer);
        tls.off('error', fail);
        tls.off('close', onClose);
        tls.on('error', (e) => this.log.debug({ err: e.message }, 'tls error'));
        resolve();
      };
      const onClose = (): void => fail(new Error('connection closed during the TLS handshake'));
      const timer = setTimeout(() => fail(new Error(`TLS handshake took longer than ${settings.handshakeTimeout} ms`)), settings.handshakeTimeout);
      tls.once('secure', onSecure);
      tls.once('error', fail);
      tls.once('close', onClose);
    });
    this.secured = true;
    this.tls = tlsInfoOfSocket(tls, settings.requestCert);
    this.log.debug({ protocol: this.tls.protocol, cipher: this.tls.cipher }, 'tls established');
  }

  /** Closes our side: pending output is flushed first (at most 1 s), then our descriptor is destroyed. */
  close(): void {
    const s = this.stream;
    if (s.writableLength > 0 && !s.destroyed) {
      const t = setTimeout(() => this.destroyAll(), 1000);
      t.unref();
      s.once('drain', () => {
        clearTimeout(t);
        this.destroyAll();
      });
      return;
    }
    this.destroyAll();
  }

  private destroyAll(): void {
    this.stream.destroy();
    this.raw.destroy();
  }
}

/** Node's SNICallback over a name lookup, falling back to the default context. */
function sniCallback(contextFor: (servername: string) => SecureContext | undefined, fallback: SecureContext) {
  return (servername: string, cb: (err: Error | null, ctx?: SecureContext) => void): void => {
    cb(null, contextFor(servername) ?? fallback);
  };
}
