/**
 * A duplex over a socket that first yields bytes already read from it (those after a PROXY header).
 * Needed for implicit TLS behind a proxy: `new TLSSocket(netSocket)` reads the socket's handle
 * directly and would never see bytes sitting in the stream's buffer, such as a ClientHello that came
 * in the same segment as the header. Wrapping in a generic duplex makes TLS read through the stream.
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/** See the file comment. */
export class PrefixedStream extends Duplex {
  constructor(
    private readonly socket: Socket,
    prefix: Buffer,
  ) {
    super({ allowHalfOpen: false });
    if (prefix.length > 0) this.push(prefix);
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.on('error', (e) => this.destroy(e));
    socket.pause();
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}
