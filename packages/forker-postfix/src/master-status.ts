/**
 * The child side of the master's status channel (forker-protocols.md §1.6, Postfix
 * `master_proto.h`): fd 5 is an AF_UNIX stream socket shared by all children of the service; each
 * message is `struct master_status { int pid; unsigned gen; int avail; }`, 12 bytes in native byte
 * order, written in one write(2). `gen` must equal GENERATION (octal, §1.3) or master ignores it.
 * EOF on fd 5 means reload, stress restart or master gone (§1.8).
 *
 * Never shut fd 5 down and never `end()` a socket on it: master reads EOF, panics and the whole
 * Postfix instance stops (§1.6, verified). Closing our copy is harmless.
 */
import { fstatSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { endianness } from 'node:os';
import { ConfigError } from '@pigeondeliver/core/early';

/** `MASTER_STATUS_FD`. */
export const MASTER_STATUS_FD = 5;
/** `MASTER_LISTEN_FD`: the first listen socket. */
export const MASTER_LISTEN_FD = 6;

/** `MASTER_STAT_TAKEN` / `MASTER_STAT_AVAIL`. */
export enum MasterAvailability {
  Taken = 0,
  Avail = 1,
}

/** Parses GENERATION, which master formats with `%o` (octal, no leading 0): `10` is generation 8. */
export function parseGeneration(text: string | undefined): number {
  if (text === undefined || !/^[0-7]+$/.test(text)) {
    throw new ConfigError(
      `GENERATION is ${text === undefined ? 'not set' : `"${text}", not an octal number`}: pd-forker-postfix runs only under the Postfix master (master.cf); use pd-forker-listen or pd-forker-stdio otherwise`,
    );
  }
  return Number.parseInt(text, 8) >>> 0;
}

/** The 12 bytes of one status message. */
export function encodeStatus(pid: number, generation: number, avail: MasterAvailability, order: 'LE' | 'BE' = endianness()): Buffer {
  const b = Buffer.alloc(12);
  if (order === 'LE') {
    b.writeInt32LE(pid, 0);
    b.writeUInt32LE(generation, 4);
    b.writeInt32LE(avail, 8);
  } else {
    b.writeInt32BE(pid, 0);
    b.writeUInt32BE(generation, 4);
    b.writeInt32BE(avail, 8);
  }
  return b;
}

/** Throws ConfigError unless `fd` is a socket (fd 5 and fds 6… under master). */
export function requireSocketDescriptor(fd: number, what: string): void {
  let ok = false;
  try {
    ok = fstatSync(fd).isSocket();
  } catch {
    ok = false;
  }
  if (!ok) throw new ConfigError(`descriptor ${fd} is not ${what}: pd-forker-postfix must be started by the Postfix master from master.cf`);
}

/** See the file comment. */
export class MasterStatusChannel {
  private watcher?: Socket;
  private onEnd?: (reason: string) => void;

  constructor(
    private readonly generation: number,
    private readonly fd: number = MASTER_STATUS_FD,
    private readonly pid: number = process.pid,
  ) {}

  /** Sends one status; false when master is gone (EPIPE after a reload) or the write was short. */
  send(avail: MasterAvailability): boolean {
    try {
      return writeSync(this.fd, encodeStatus(this.pid, this.generation, avail)) === 12;
    } catch {
      return false;
    }
  }

  /**
   * Calls `onEnd` once on EOF or error of the channel. The watcher is read-only and half-open, so
   * Node never calls shutdown(2) on it, and unref'd, so it does not keep the process alive. A later
   * call replaces the callback (the greeting-first start watches before the child takes over).
   */
  watchEnd(onEnd: (reason: string) => void): void {
    this.onEnd = onEnd;
    if (this.watcher) return;
    const s = new Socket({ fd: this.fd, readable: true, writable: false, allowHalfOpen: true });
    this.watcher = s;
    let fired = false;
    const fire = (reason: string): void => {
      if (fired) return;
      fired = true;
      this.onEnd?.(reason);
    };
    s.on('data', () => undefined); // master never writes here; reading keeps EOF detection going
    s.once('end', () => fire('the master closed the status channel (postfix reload, or master exited)'));
    s.once('error', (e) => fire(`status channel error: ${e.message}`));
    s.unref();
  }
}
