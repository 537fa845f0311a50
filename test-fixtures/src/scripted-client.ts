/**
 * A line-oriented test client over any Duplex (a socket or the client end of a stream pair): send
 * lines, read reply lines, and run C:/S: transcripts. Waits are bounded (never a fixed sleep).
 */
import type { Duplex } from 'node:stream';

/** Reads CRLF lines from a stream and writes commands to it. */
export class ScriptedClient {
  private buffer = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;
  /** Every line received, in order. */
  readonly received: string[] = [];

  constructor(
    readonly stream: Duplex,
    private readonly timeoutMs = 5000,
  ) {
    stream.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    const end = (): void => {
      this.ended = true;
      this.wake?.();
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
  }

  /** Writes `line` + CRLF (a Buffer is written as is, no CRLF added). */
  send(line: string | Buffer): void {
    this.stream.write(typeof line === 'string' ? `${line}\r\n` : line);
  }

  /** The next line without CRLF; rejects on timeout or when the stream ends first. */
  async readLine(): Promise<string> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const lf = this.buffer.indexOf(0x0a);
      if (lf >= 0) {
        const line = this.buffer.subarray(0, lf).toString('utf8').replace(/\r$/, '');
        this.buffer = this.buffer.subarray(lf + 1);
        this.received.push(line);
        return line;
      }
      if (this.ended) throw new Error(`connection closed; received so far:\n${this.received.join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line within ${this.timeoutMs} ms; received so far:\n${this.received.join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  /** Reads lines until one matches; returns it. */
  async expect(pattern: RegExp | string): Promise<string> {
    for (;;) {
      const line = await this.readLine();
      if (typeof pattern === 'string' ? line === pattern : pattern.test(line)) return line;
    }
  }

  /** Resolves true when the server closes the connection within the timeout (lines still pending are read). */
  async closed(): Promise<boolean> {
    const deadline = Date.now() + this.timeoutMs;
    while (!this.ended && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.wake = () => {
          clearTimeout(t);
          this.wake = undefined;
          resolve();
        };
      });
    }
    return this.ended;
  }

  /**
   * Runs a transcript: `C: text` lines are sent; `S: text` lines must be the next line received,
   * exactly, or as a prefix when they end with `...`, or as a regular expression when written
   * `S: /re/`. Blank lines and `#` comments are ignored.
   */
  async run(transcript: string): Promise<void> {
    for (const raw of transcript.split('\n')) {
      const line = raw.replace(/\r$/, '').trimStart();
      if (line.trim() === '') continue;
      if (line === '' || line.startsWith('#')) continue;
      if (line.startsWith('C: ')) {
        this.send(line.slice(3));
      } else if (line.startsWith('S: ')) {
        const want = line.slice(3);
        const got = await this.readLine();
        const ok = want.startsWith('/') && want.endsWith('/') && want.length > 1
          ? new RegExp(want.slice(1, -1)).test(got)
          : want.endsWith('...')
            ? got.startsWith(want.slice(0, -3))
            : got === want;
        if (!ok) throw new Error(`transcript: expected "${want}", got "${got}"; received so far:\n${this.received.join('\n')}`);
      } else {
        throw new Error(`transcript: bad line "${raw}" (use C: or S:)`);
      }
    }
  }
}
