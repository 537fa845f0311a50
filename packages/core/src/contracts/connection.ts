import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Endpoint } from './endpoint.js';
import type { Logger } from '../logging.js';

/** TLS facts about a connection once TLS is active. */
export interface TlsInfo {
  readonly protocol: string;
  readonly cipher: string;
  /** The server name the client asked for (SNI), if any. */
  readonly servername?: string;
  /** The verified client certificate subject, when a client certificate was requested and verified. */
  readonly peerCertificate?: { subject: Record<string, string | string[]>; fingerprint256: string; authorized: boolean };
}

/**
 * One client connection handed by a forker to a login service: the "public connect(duplex)" of
 * smtp-server and imap-core, made explicit. The login service reads and writes `stream`; a backend
 * that hands the connection to a child process uses `socket` (plaintext only) so nothing stays in the
 * middle.
 */
export interface ClientConnection {
  /** Session id, on every log line and passed to backends (`x-session-id`). */
  readonly sessionId: string;
  /** What the protocol reads and writes: the socket itself, or the TLS socket on top of it. */
  readonly stream: Duplex;
  /**
   * The OS-level socket whose descriptor can be given to a child process, when there is one and the
   * connection is not encrypted by us. Undefined for in-memory connections.
   */
  readonly socket?: Socket;
  /**
   * File descriptors (input, output) when the connection is this process's stdio (pd-forker-stdio,
   * inetd nowait): a backend can give them to a child as its stdin/stdout.
   */
  readonly stdioDescriptors?: readonly [number, number];
  /** The client; may be replaced by a trusted forwarder (PROXY protocol, IMAP ID, POP3 XCLIENT). */
  remote: Endpoint;
  /** Our side of the connection. */
  readonly local: Endpoint;
  /** TLS is active (implicit TLS or after STARTTLS). */
  readonly secured: boolean;
  /** TLS facts when `secured`. */
  readonly tls?: TlsInfo;
  /** The client is on a trusted network (or localhost): counts as secured for plaintext auth, no penalty. */
  readonly trusted: boolean;
  /** Logger bound to this session id. */
  readonly log: Logger;
  /**
   * Starts TLS on this connection (STARTTLS / STLS); absent when the forker cannot (no certificate).
   * Any input already buffered is discarded (no command injection across STARTTLS, RFC 3501 §6.2.1).
   * After it resolves, `stream`, `secured` and `tls` describe the TLS session.
   */
  startTls?(): Promise<void>;
  /** Closes the connection (and only ours: a backend that holds a duplicate keeps its copy). */
  close(): void;
}
