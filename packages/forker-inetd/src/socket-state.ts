/**
 * What kind of socket an inherited descriptor is, without touching it (forker-protocols.md §2.3):
 * inetd `nowait` gives a connected socket on fd 0, `wait` the listening one. Node has no
 * getsockopt(SO_ACCEPTCONN), so on Linux the socket's inode (`readlink /proc/self/fd/N` →
 * `socket:[INODE]`) is looked up in /proc/self/net/{tcp,tcp6} (state column `0A` = LISTEN, `01` =
 * ESTABLISHED) and /proc/self/net/unix (flag `00010000` = __SO_ACCEPTCON). Probing with
 * `listen({fd})` instead would call listen(2) again and reset inetd's backlog.
 *
 * Reading those tables walks every bucket of the kernel's socket hash (about 3 ms per table here, even
 * with a handful of sockets, more on a busy server), so the common case, nowait's connected socket,
 * is told first in O(1): a zero-length write(2) returns 0 on a connected stream socket and sends
 * nothing (TCP sends no segment, a Unix stream socket no record), while a listening one fails
 * (EPIPE for TCP, ENOTCONN for Unix). A failure proves nothing more, so it goes to the /proc lookup.
 */
import { fstatSync, readFileSync, readlinkSync, writeSync } from 'node:fs';

const NOTHING = new Uint8Array(0);

/** The state of a descriptor. */
export enum DescriptorKind {
  Listening = 'listening',
  Connected = 'connected',
  /** A socket whose state /proc does not show (another family, no /proc). */
  UnknownSocket = 'unknown-socket',
  NotSocket = 'not-socket',
}

/** Classifies `fd`; `proc` is the /proc root (tests). */
export function descriptorKind(fd: number, proc = '/proc/self'): DescriptorKind {
  try {
    if (!fstatSync(fd).isSocket()) return DescriptorKind.NotSocket;
  } catch {
    return DescriptorKind.NotSocket;
  }
  try {
    if (writeSync(fd, NOTHING) === 0) return DescriptorKind.Connected;
  } catch {
    // listening, or a connected socket that broke: the tables below tell which
  }
  let inode: string;
  try {
    const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`${proc}/fd/${fd}`));
    if (!m) return DescriptorKind.UnknownSocket;
    inode = m[1]!;
  } catch {
    return DescriptorKind.UnknownSocket;
  }
  for (const table of ['tcp', 'tcp6']) {
    const state = inetState(readTable(`${proc}/net/${table}`), inode);
    if (state === '0A') return DescriptorKind.Listening;
    if (state !== undefined) return DescriptorKind.Connected;
  }
  const flags = unixFlags(readTable(`${proc}/net/unix`), inode);
  if (flags !== undefined) return (Number.parseInt(flags, 16) & 0x10000) !== 0 ? DescriptorKind.Listening : DescriptorKind.Connected;
  return DescriptorKind.UnknownSocket;
}

function readTable(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
}

/** The `st` column of the row with `inode` in a /proc/net/tcp{,6} table. */
export function inetState(table: string, inode: string): string | undefined {
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[9] === inode) return f[3];
  }
  return undefined;
}

/** The `Flags` column of the row with `inode` in /proc/net/unix. */
export function unixFlags(table: string, inode: string): string | undefined {
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[6] === inode) return f[3];
  }
  return undefined;
}
