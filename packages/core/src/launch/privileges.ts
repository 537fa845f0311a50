/**
 * Effective-uid switching for one-process-per-connection launches (inetd, stdio, Postfix `maxproc`):
 * DESIGN.md "Privileges" says no client byte is parsed with effective uid 0. Such a process starts as
 * root, calls {@link dropPrivileges} before its first client read, and regains root only inside
 * {@link withPrivileges} to create the home and spawn the backend.
 *
 * This is a guard against accidents (a parser bug that opens a file does so without root), not a
 * sandbox: the real uid stays 0 so that privileges can be regained. The daemon uses separate
 * unprivileged worker processes instead.
 */
import { BackendError } from '../errors.js';

interface SavedIdentity {
  readonly uid: number;
  readonly gid: number;
  readonly groups: number[];
  readonly egid: number;
}

let dropped: SavedIdentity | undefined;
let regained = 0;

function posix(): Required<Pick<NodeJS.Process, 'geteuid' | 'getegid' | 'getgroups' | 'seteuid' | 'setegid' | 'setgroups'>> {
  const p = process;
  if (!p.geteuid || !p.getegid || !p.getgroups || !p.seteuid || !p.setegid || !p.setgroups) {
    throw new BackendError('switching the effective uid needs a POSIX platform');
  }
  return p as Required<Pick<NodeJS.Process, 'geteuid' | 'getegid' | 'getgroups' | 'seteuid' | 'setegid' | 'setgroups'>>;
}

/**
 * Sets the effective uid/gid to `uid`/`gid` and the supplementary groups to `[gid]`, keeping the
 * real uid 0 so that {@link withPrivileges} can regain root. Without root it only accepts the
 * current effective uid (a no-op), so development runs work unchanged. Refuses uid 0.
 */
export function dropPrivileges(uid: number, gid: number): void {
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid <= 0 || gid < 0) {
    throw new BackendError(`dropPrivileges: invalid uid ${uid} / gid ${gid} (uid 0 is never a target)`);
  }
  const p = posix();
  if (dropped) {
    if (dropped.uid === uid && dropped.gid === gid) return;
    throw new BackendError(`privileges already dropped to ${dropped.uid}:${dropped.gid}`);
  }
  if (p.geteuid() !== 0) {
    if (p.geteuid() === uid) return;
    throw new BackendError(`cannot switch to uid ${uid}: the process is not root (euid ${p.geteuid()})`);
  }
  const saved: SavedIdentity = { uid, gid, groups: p.getgroups(), egid: p.getegid() };
  // Groups first, while still root: setgroups and setegid need euid 0.
  p.setgroups([gid]);
  p.setegid(gid);
  p.seteuid(uid);
  dropped = saved;
}

/** True when {@link dropPrivileges} is in force (and not temporarily regained). */
export function privilegesDropped(): boolean {
  return dropped !== undefined && regained === 0;
}

/**
 * Runs `fn` with the original (root) effective identity when privileges were dropped, and drops them
 * again before returning, even if `fn` throws. Without a drop it just calls `fn`. `fn` must be
 * synchronous: no event-loop turn (and so no client byte) may happen while euid is 0, which is why
 * home creation and `spawn` are written with synchronous calls.
 */
export function withPrivileges<T>(fn: () => T): T {
  if (!dropped || regained > 0) return fn();
  const p = posix();
  const saved = dropped;
  p.seteuid(0);
  p.setegid(saved.egid);
  p.setgroups(saved.groups);
  regained++;
  try {
    const result = fn();
    if (result instanceof Promise) throw new BackendError('withPrivileges needs a synchronous function');
    return result;
  } finally {
    regained--;
    p.setgroups([saved.gid]);
    p.setegid(saved.gid);
    p.seteuid(saved.uid);
  }
}

/**
 * Runs `fn` with effective uid/gid `uid`/`gid` (supplementary groups `[gid]`) and restores the
 * current identity afterwards; used to create files inside a user's home as that user, so that a
 * symlink the user planted can only lead to what the user could reach anyway. Requires euid 0 (call
 * it inside {@link withPrivileges}); without root it calls `fn` unchanged. `fn` must be synchronous.
 */
export function asUser<T>(uid: number, gid: number, fn: () => T): T {
  const p = posix();
  if (p.geteuid() !== 0) return fn();
  const groups = p.getgroups();
  const egid = p.getegid();
  p.setgroups([gid]);
  p.setegid(gid);
  p.seteuid(uid);
  try {
    return fn();
  } finally {
    p.seteuid(0);
    p.setegid(egid);
    p.setgroups(groups);
  }
}
