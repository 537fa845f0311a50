/**
 * Creates a user's home on first login (DESIGN.md "Privileges"): mode 0700, owned by the user, with
 * a Maildir (`cur`, `new`, `tmp`), only below one of the configured `home_roots`, never through a
 * symbolic link. Synchronous on purpose: it runs inside `withPrivileges`, where no event-loop turn
 * may happen.
 *
 * How symlinks are kept out: every component below the root is checked with `lstat` and must be a
 * real directory owned by us (the directories we create are root-owned 0711); the home itself is
 * opened with O_NOFOLLOW|O_DIRECTORY and chowned through that descriptor. Everything inside the home
 * (the Maildir) is created with the user's own effective uid, so a link the user planted can only
 * lead where the user could go anyway.
 */
import { closeSync, constants, fchmodSync, fchownSync, fstatSync, lstatSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { BackendError } from '../errors.js';
import { asUser } from './privileges.js';

/** What {@link ensureUserHome} needs. */
export interface HomeSpec {
  /** Absolute, normalized home directory. */
  readonly path: string;
  /** Maildir to create inside the home (relative to it, or absolute below it); none when undefined. */
  readonly maildir?: string;
  readonly uid: number;
  readonly gid: number;
  /** Directories below which homes may be created (`home_roots`). */
  readonly roots: readonly string[];
}

/** What {@link ensureUserHome} did. */
export type HomeOutcome = 'created' | 'existing';

const MAILDIR_SUBDIRS = ['cur', 'new', 'tmp'] as const;

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function euid(): number {
  return process.geteuid ? process.geteuid() : -1;
}

function lstatOrUndefined(path: string): Stats | undefined {
  return lstatSync(path, { throwIfNoEntry: false });
}

/** Finds the configured root that contains `home`, or throws. */
export function homeRootOf(home: string, roots: readonly string[]): string {
  if (!isAbsolute(home) || trimSlash(normalize(home)) !== trimSlash(home) || home.includes('\0')) {
    throw new BackendError(`home ${JSON.stringify(home)} is not an absolute normalized path`);
  }
  const path = trimSlash(home);
  for (const raw of roots) {
    if (!isAbsolute(raw)) continue;
    const root = trimSlash(normalize(raw));
    if (path.startsWith(root === '/' ? '/' : `${root}/`) && path !== root) return root;
  }
  throw new BackendError(`home ${path} is outside the home roots (${roots.join(', ') || 'none configured'}); set home_roots`);
}

/**
 * Makes sure the home (and its Maildir) exists with the right owner and mode. Throws BackendError
 * when the path is outside the roots, crosses a symlink or a non-directory, or the existing home
 * belongs to another uid. Must run with the privileges needed to chown (root), or as the user.
 */
export function ensureUserHome(spec: HomeSpec): HomeOutcome {
  const root = homeRootOf(spec.path, spec.roots);
  const home = trimSlash(spec.path);
  const me = euid();
  const rootStat = statSync(root, { throwIfNoEntry: false });
  if (!rootStat?.isDirectory()) throw new BackendError(`home root ${root} does not exist or is not a directory`);

  const parts = home.slice(root.length).split('/').filter((s) => s.length > 0);
  let current = root;
  let created = false;
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    current = join(current, parts[i]!);
    let st = lstatOrUndefined(current);
    if (!st) {
      try {
        mkdirSync(current, { mode: last ? 0o700 : 0o711 });
        if (last) created = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new BackendError(`cannot create ${current}: ${(e as Error).message}`, { cause: e });
        }
      }
      st = lstatOrUndefined(current);
    }
    if (!st) throw new BackendError(`${current} vanished while creating the home`);
    if (st.isSymbolicLink()) throw new BackendError(`home path ${current} is a symbolic link; refusing to follow it`);
    if (!st.isDirectory()) throw new BackendError(`home path ${current} is not a directory`);
    if (!last && me >= 0 && st.uid !== me) {
      throw new BackendError(`home path component ${current} is owned by uid ${st.uid}, not by us (${me}); refusing`);
    }
  }

  let fd: number;
  try {
    fd = openSync(home, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (e) {
    throw new BackendError(`cannot open home ${home}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const st = fstatSync(fd);
    if (created) {
      if (me === 0) fchownSync(fd, spec.uid, spec.gid);
      fchmodSync(fd, 0o700);
    } else if (me === 0 && st.uid !== spec.uid) {
      throw new BackendError(`home ${home} exists but is owned by uid ${st.uid}, not ${spec.uid}; refusing`);
    }
  } finally {
    closeSync(fd);
  }

  if (spec.maildir !== undefined && spec.maildir !== '') {
    const maildir = trimSlash(normalize(isAbsolute(spec.maildir) ? spec.maildir : join(home, spec.maildir)));
    if (!maildir.startsWith(`${home}/`)) throw new BackendError(`maildir ${spec.maildir} is not inside the home ${home}`);
    const parts = maildir.slice(home.length).split('/').filter(Boolean);
    // The common case, every later login: the Maildir is complete. Checking that with lstat needs no
    // privilege change (switching ids costs a setgroups/setegid/seteuid round per login).
    if (!created && maildirComplete(home, parts, spec.uid)) return 'existing';
    const runAsUser = me === 0 ? <T>(f: () => T) => asUser(spec.uid, spec.gid, f) : <T>(f: () => T) => f();
    runAsUser(() => makeDirs(home, parts, MAILDIR_SUBDIRS));
  }
  return created ? 'created' : 'existing';
}

/** Every folder of `home/parts.../{cur,new,tmp}` is a real directory (no symlink) owned by `uid`. */
function maildirComplete(home: string, parts: readonly string[], uid: number): boolean {
  let dir = home;
  const dirs: string[] = [];
  for (const p of parts) dirs.push((dir = join(dir, p)));
  for (const leaf of MAILDIR_SUBDIRS) dirs.push(join(dir, leaf));
  return dirs.every((d) => {
    const st = lstatOrUndefined(d);
    return st !== undefined && st.isDirectory() && !st.isSymbolicLink() && st.uid === uid;
  });
}

/** Creates `base/parts...` and then each of `leaves` inside it, mode 0700, refusing symlinks. */
function makeDirs(base: string, parts: readonly string[], leaves: readonly string[]): void {
  let current = base;
  const step = (dir: string): void => {
    let st = lstatOrUndefined(dir);
    if (!st) {
      try {
        mkdirSync(dir, { mode: 0o700 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new BackendError(`cannot create ${dir}: ${(e as Error).message}`, { cause: e });
      }
      st = lstatOrUndefined(dir);
    }
    if (!st || st.isSymbolicLink() || !st.isDirectory()) throw new BackendError(`${dir} is not a real directory; refusing`);
  };
  for (const part of parts) {
    current = join(current, part);
    step(current);
  }
  for (const leaf of leaves) step(join(current, leaf));
}
