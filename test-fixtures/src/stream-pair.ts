/**
 * An in-memory {@link ClientConnection} for unit tests of login services: the server side is a
 * `ClientConnection` whose `stream` is one end of a duplex pair, the client side is the other end.
 * Bytes written on one end are readable on the other, synchronously and in order; ending or
 * destroying one end ends the other's readable side, like a TCP FIN. No sockets, no timers.
 */
import { Duplex } from 'node:stream';
import { pino } from 'pino';
import { REDACTED_FIELDS, type ClientConnection, type Endpoint, type Logger, type TlsInfo } from '@pigeondeliver/core';

/** Creates two connected in-memory duplex streams (Node 20 has no `stream.duplexPair`). */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const eofSent = [false, false];
  const sendEof = (to: number): void => {
    if (eofSent[to]) return;
    eofSent[to] = true;
    const peer = ends[to]!;
    if (!peer.destroyed) peer.push(null);
  };
  const make = (self: number): Duplex => {
    const other = 1 - self;
    return new Duplex({
      allowHalfOpen: false,
      read() {
        // Data is pushed by the peer's write(); nothing to pull.
      },
      write(chunk: Buffer, _encoding, callback) {
        const peer = ends[other]!;
        if (!eofSent[other] && !peer.destroyed) peer.push(chunk);
        callback();
      },
      final(callback) {
        sendEof(other);
        callback();
      },
      destroy(error, callback) {
        sendEof(other);
        callback(error);
      },
    });
  };
  ends.push(make(0), make(1));
  return [ends[0]!, ends[1]!];
}

/** The TLS facts an in-memory connection reports after `startTls()`. */
export const MEMORY_TLS_INFO: TlsInfo = Object.freeze({ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' });

/** Settings for {@link createStreamPair}; everything has a test-friendly default. */
export interface StreamPairOptions {
  /** Default `test-session`. */
  readonly sessionId?: string;
  /** Default 192.0.2.10:40000 (TEST-NET-1, RFC 5737). */
  readonly remote?: Endpoint;
  /** Default 192.0.2.1:143. */
  readonly local?: Endpoint;
  /** TLS already active (implicit TLS). Default false. */
  readonly secured?: boolean;
  /** The client counts as trusted. Default false. */
  readonly trusted?: boolean;
  /** Offer `startTls()` (STARTTLS/STLS possible). Default true. */
  readonly startTls?: boolean;
  /** Logger for the connection; default: one that records every line in {@link StreamPair.logLines}. */
  readonly log?: Logger;
}

/** The server-side connection of a {@link StreamPair}, with what a test wants to inspect. */
export interface MemoryConnection extends ClientConnection {
  remote: Endpoint;
  /** How many times `startTls()` was called. */
  readonly startTlsCalls: number;
  /** `close()` was called. */
  readonly closed: boolean;
}

/** A connected in-memory pair. */
export interface StreamPair {
  /** What the login service gets. */
  readonly connection: MemoryConnection;
  /** The client's end: write commands to it, read replies from it. */
  readonly client: Duplex;
  /** Everything the server wrote so far, as UTF-8 text. */
  text(): string;
  /**
   * Resolves with the whole text once it matches `pattern` (checked on every chunk); rejects when the
   * stream ends without a match, or after `timeoutMs` (default 2000) with the text received so far.
   */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Resolves when the server's side is closed (by `close()` or the stream ending). */
  readonly closed: Promise<void>;
  /** Log lines (parsed JSON) written through the connection's default logger. */
  readonly logLines: Record<string, unknown>[];
}

/** A pino logger with core's redaction, whose lines land in `lines` (to assert on, and that no secret appears). */
export function recordingLogger(lines: Record<string, unknown>[]): Logger {
  const paths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`]);
  return pino(
    { level: 'trace', redact: { paths, censor: '[redacted]' } },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
}

/** Creates an in-memory connection pair. */
export function createStreamPair(options: StreamPairOptions = {}): StreamPair {
  const [server, client] = duplexPair();
  const logLines: Record<string, unknown>[] = [];
  const log = options.log ?? recordingLogger(logLines);
  let secured = options.secured ?? false;
  let tls: TlsInfo | undefined = secured ? MEMORY_TLS_INFO : undefined;
  let startTlsCalls = 0;
  let closed = false;
  let markClosed!: () => void;
  const closedPromise = new Promise<void>((resolve) => (markClosed = resolve));
  server.once('close', () => markClosed());

  const connection: MemoryConnection = {
    sessionId: options.sessionId ?? 'test-session',
    stream: server,
    remote: options.remote ?? { address: '192.0.2.10', port: 40000 },
    local: options.local ?? { address: '192.0.2.1', port: 143 },
    get secured() {
      return secured;
    },
    get tls() {
      return tls;
    },
    trusted: options.trusted ?? false,
    log: log.child({ session: options.sessionId ?? 'test-session' }),
    get startTlsCalls() {
      return startTlsCalls;
    },
    get closed() {
      return closed;
    },
    close() {
      closed = true;
      server.destroy();
      markClosed();
    },
  };
  if (options.startTls ?? true) {
    connection.startTls = async () => {
      startTlsCalls++;
      if (secured) throw new Error('TLS is already active on this connection');
      secured = true;
      tls = MEMORY_TLS_INFO;
    };
  }

  const chunks: Buffer[] = [];
  let ended = false;
  const listeners = new Set<() => void>();
  client.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    for (const l of [...listeners]) l();
  });
  client.on('end', () => {
    ended = true;
    for (const l of [...listeners]) l();
  });
  client.on('error', () => undefined);
  const text = (): string => Buffer.concat(chunks).toString('utf8');

  const waitFor = (pattern: RegExp | string, timeoutMs = 2000): Promise<string> =>
    new Promise((resolve, reject) => {
      const matches = (): boolean => (typeof pattern === 'string' ? text().includes(pattern) : pattern.test(text()));
      const done = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      const check = (): void => {
        if (matches()) {
          done();
          resolve(text());
        } else if (ended) {
          done();
          reject(new Error(`stream ended without ${String(pattern)}; received:\n${text()}`));
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms; received:\n${text()}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });

  return { connection, client, text, waitFor, closed: closedPromise, logLines };
}
