/**
 * Bounded reading of client input before login: CRLF lines up to a limit, exact byte counts (IMAP
 * literals), idle and total timeouts, and the two ways reading ends early: handing the unread bytes to
 * a backend (pipelining after the login command) and discarding them (STARTTLS, RFC 3501 §6.2.1,
 * RFC 2595 §3.1: no command injection across the TLS handshake).
 *
 * The reader pulls from the stream only while a read is waiting (paused mode, `read()` on
 * `readable`), so it never holds more than one chunk beyond what the protocol asked for.
 */
import type { Duplex } from 'node:stream';
import { InputError, InputFailure } from './input-errors.js';

/** The empty buffer every idle reader starts with (one shared object, not two per connection). */
const NOTHING: Buffer = Buffer.alloc(0);

/** Limits and timeouts of an {@link InputReader}; durations in milliseconds, 0 disables. */
export interface InputReaderSettings {
  /** Longest line, line end included (Limits.maxLineLength). */
  readonly maxLineLength: number;
  /** Longest silence while a read is waiting (Limits.idleTimeout). */
  readonly idleTimeout: number;
  /** Total time from the reader's creation (Limits.loginTimeout). */
  readonly totalTimeout: number;
}

/** A stream whose internals may expose a libuv handle (net.Socket, tls.TLSSocket). */
interface HandleHolder {
  _handle?: { reading?: boolean; readStop?: () => number } | null;
  _readableState?: { reading?: boolean };
}

/** Line and byte reader over a client stream, with limits and timeouts. One per connection. */
export class InputReader {
  private stream: Duplex;
  private buffer: Buffer = NOTHING;
  private waiter: { resolve: () => void; reject: (e: InputError) => void } | undefined;
  private failure: InputError | undefined;
  private ended = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly totalTimer: NodeJS.Timeout | undefined;
  private readonly onReadable = (): void => this.pull();
  private readonly onEnd = (): void => this.markEnded();
  private readonly onError = (): void => this.markEnded();

  constructor(
    stream: Duplex,
    private readonly settings: InputReaderSettings,
  ) {
    this.stream = stream;
    this.attach();
    if (settings.totalTimeout > 0) {
      this.totalTimer = setTimeout(
        () => this.fail(new InputError(InputFailure.LoginTimeout, 'login timeout')),
        settings.totalTimeout,
      );
      this.totalTimer.unref();
    }
  }

  /** Bytes received and not consumed yet. */
  get bufferedLength(): number {
    return this.buffer.length;
  }

  /**
   * Reads one line and returns it without its line end. CRLF ends a line; a bare LF is accepted too
   * (as Dovecot does). Rejects with {@link InputError}: `LineTooLong` once `maxLength` bytes arrived
   * without a line end, `Closed`, the timeouts, `Detached`.
   */
  async readLine(maxLength: number = this.settings.maxLineLength): Promise<Buffer> {
    for (;;) {
      const lf = this.buffer.indexOf(0x0a);
      if (lf >= 0) {
        if (lf + 1 > maxLength) throw new InputError(InputFailure.LineTooLong, `line longer than ${maxLength} bytes`);
        const end = lf > 0 && this.buffer[lf - 1] === 0x0d ? lf - 1 : lf;
        const line = this.buffer.subarray(0, end);
        this.buffer = this.buffer.subarray(lf + 1);
        return Buffer.from(line);
      }
      if (this.buffer.length >= maxLength) throw new InputError(InputFailure.LineTooLong, `line longer than ${maxLength} bytes`);
      await this.more();
    }
  }

  /** Reads exactly `count` bytes (an IMAP literal). Rejects like {@link readLine}. */
  async readBytes(count: number): Promise<Buffer> {
    while (this.buffer.length < count) await this.more();
    const out = Buffer.from(this.buffer.subarray(0, count));
    this.buffer = this.buffer.subarray(count);
    return out;
  }

  /**
   * Drops everything received and not consumed, including what the stream itself buffered: called
   * right before the TLS handshake of STARTTLS so that plaintext sent after the command is never
   * executed (RFC 3501 §6.2.1, RFC 2595 §3.1). Returns the number of bytes dropped.
   */
  discardBuffered(): number {
    let dropped = this.buffer.length;
    this.buffer = NOTHING;
    for (let chunk = this.readChunk(); chunk; chunk = this.readChunk()) dropped += chunk.length;
    return dropped;
  }

  /**
   * Reads from a new stream from now on (the TLS socket after STARTTLS). Call
   * {@link discardBuffered} on the old stream first.
   */
  replaceStream(stream: Duplex): void {
    this.detachListeners();
    this.stream = stream;
    this.ended = false;
    this.attach();
  }

  /**
   * Stops reading and returns every byte received and not consumed: the reader's buffer plus what
   * the stream had buffered. The stream is left paused, with its kernel reads stopped where the
   * runtime allows it, so later bytes stay in the socket for whoever takes it over (the backend).
   * Pending and later reads reject with `Detached` until {@link reattach}.
   */
  detach(): Buffer {
    const parts = [this.buffer];
    this.buffer = NOTHING;
    for (let chunk = this.readChunk(); chunk; chunk = this.readChunk()) parts.push(chunk);
    this.detachListeners();
    stopKernelReads(this.stream);
    this.clearIdle();
    this.failure = new InputError(InputFailure.Detached, 'reader detached');
    this.rejectWaiter(this.failure);
    return Buffer.concat(parts);
  }

  /** Reads again after a failed handoff; `unread` (what {@link detach} returned) is read first. */
  reattach(unread: Buffer): void {
    if (this.failure?.failure !== InputFailure.Detached) return;
    this.failure = undefined;
    this.buffer = Buffer.concat([unread, this.buffer]);
    this.attach();
  }

  /** Stops timers and listeners for good (connection closing). Pending reads reject with `Detached`. */
  close(): void {
    this.detachListeners();
    this.clearIdle();
    if (this.totalTimer) clearTimeout(this.totalTimer);
    this.fail(new InputError(InputFailure.Detached, 'reader closed'));
  }

  private attach(): void {
    this.stream.on('readable', this.onReadable);
    this.stream.on('end', this.onEnd);
    this.stream.on('close', this.onEnd);
    this.stream.on('error', this.onError);
    if (this.stream.readableEnded || this.stream.destroyed) this.ended = true;
  }

  private detachListeners(): void {
    this.stream.off('readable', this.onReadable);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
  }

  private readChunk(): Buffer | null {
    const chunk: unknown = this.stream.read();
    if (chunk === null || chunk === undefined) return null;
    return typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : (chunk as Buffer);
  }

  /** Waits until more bytes are in the buffer. */
  private more(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const chunk = this.readChunk();
    if (chunk) {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      return Promise.resolve();
    }
    if (this.ended) return Promise.reject(new InputError(InputFailure.Closed, 'connection closed by the client'));
    return new Promise<void>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.armIdle();
    });
  }

  private pull(): void {
    if (!this.waiter) return; // read later, when someone asks (backpressure)
    const chunk = this.readChunk();
    if (!chunk) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const w = this.waiter;
    this.waiter = undefined;
    this.clearIdle();
    w.resolve();
  }

  private markEnded(): void {
    this.ended = true;
    // Data may still sit in the stream: let a waiting read take it first.
    if (this.waiter && this.stream.readableLength > 0) return this.pull();
    this.rejectWaiter(new InputError(InputFailure.Closed, 'connection closed by the client'));
  }

  private armIdle(): void {
    this.clearIdle();
    if (this.settings.idleTimeout <= 0) return;
    this.idleTimer = setTimeout(() => this.fail(new InputError(InputFailure.IdleTimeout, 'idle timeout')), this.settings.idleTimeout);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private fail(error: InputError): void {
    this.failure ??= error;
    this.clearIdle();
    this.rejectWaiter(error);
  }

  private rejectWaiter(error: InputError): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(error);
  }
}

/**
 * Stops the runtime from reading more from the socket's descriptor, so bytes the client sends after
 * the login command stay in the kernel for the process that takes the descriptor over. Node offers no
 * public call for this on a paused socket (net.Socket#pause only stops reads for sockets made with
 * `onread`); we do what that code path does, on the handle, when it exists.
 */
function stopKernelReads(stream: Duplex): void {
  stream.pause();
  const holder = stream as unknown as HandleHolder;
  const handle = holder._handle;
  if (handle && handle.reading && typeof handle.readStop === 'function') {
    handle.reading = false;
    handle.readStop();
    // The stream still believes a read is in flight (it asked the handle and got nothing yet), so
    // it would never ask again: clear that, so whoever resumes the stream restarts kernel reads.
    if (holder._readableState) holder._readableState.reading = false;
  }
}
