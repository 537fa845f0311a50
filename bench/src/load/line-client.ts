/**
 * A minimal client connection for the load generator: plain or TLS, reads until a predicate over the
 * bytes received since the last command holds. Deliberately tiny so the generator costs little CPU.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { assertLoopback } from '../system/loopback-guard.js';

/** Where to connect. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

/** Decides whether the bytes received so far complete the awaited reply. */
export type ReplyComplete = (tail: string, totalBytes: number) => boolean;

/** One connection with "send, then wait for a complete reply" semantics. */
export class LineClient {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private waiter: { complete: ReplyComplete; resolve: (r: { text: string; bytes: number }) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  /** Connects; resolves once the TCP (and TLS) connection is up. */
  static open(endpoint: Endpoint): Promise<LineClient> {
    assertLoopback(endpoint.host);
    return new Promise((resolve, reject) => {
      const socket = endpoint.tls
        ? tlsConnect({ host: endpoint.host, port: endpoint.port, rejectUnauthorized: false }) // our own throwaway certificate
        : netConnect({ host: endpoint.host, port: endpoint.port });
      const client = new LineClient(socket);
      socket.once(endpoint.tls ? 'secureConnect' : 'connect', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** Waits for a reply (e.g. the greeting) without sending anything. */
  read(complete: ReplyComplete): Promise<{ text: string; bytes: number }> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { complete, resolve, reject };
      this.check();
    });
  }

  /** Sends `line` and waits for the reply. */
  command(line: string, complete: ReplyComplete): Promise<{ text: string; bytes: number }> {
    this.socket.write(line);
    return this.read(complete);
  }

  /** Closes without waiting. */
  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    this.check();
  }

  private check(): void {
    if (this.waiter === undefined || this.bytes === 0) return;
    // Only the tail is decoded: a large FETCH literal is never turned into one string.
    const last = this.chunks.slice(-2);
    const tail = Buffer.concat(last).toString('latin1').slice(-512);
    if (!this.waiter.complete(tail, this.bytes)) return;
    const text = this.chunks.length <= 4 ? Buffer.concat(this.chunks).toString('latin1').slice(0, 4096) : tail;
    const result = { text, bytes: this.bytes };
    const { resolve } = this.waiter;
    this.waiter = undefined;
    this.chunks = [];
    this.bytes = 0;
    resolve(result);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    if (this.waiter !== undefined) {
      const { reject } = this.waiter;
      this.waiter = undefined;
      reject(error);
    }
  }
}
