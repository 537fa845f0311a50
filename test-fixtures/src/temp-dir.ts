/**
 * Temporary directories for tests: created under the OS temp folder, removed when the test process
 * exits (or earlier with `remove()`).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary directory owned by one test. */
export interface TempDir {
  /** Absolute path of the directory. */
  readonly path: string;
  /** Joins `parts` under the directory. */
  join(...parts: string[]): string;
  /** Writes a file (parents created), optionally with `mode`; returns its absolute path. */
  write(relativePath: string, content: string | Uint8Array, mode?: number): string;
  /** Creates a sub-directory (parents created); returns its absolute path. */
  mkdir(relativePath: string, mode?: number): string;
  /** Removes the directory and everything in it (idempotent). */
  remove(): void;
}

const live = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', removeAllTempDirs);
}

/** Removes every directory made by {@link createTempDir} that still exists (runs at process exit; calling it mid-run would pull folders from under other tests, such as the cached certificates). */
export function removeAllTempDirs(): void {
  for (const path of live) rmSync(path, { recursive: true, force: true });
  live.clear();
}

/** Creates a fresh temporary directory, `prefix` then random characters (default `pd-test-`). */
export function createTempDir(prefix = 'pd-test-'): TempDir {
  if (prefix.includes('/')) throw new Error(`createTempDir: prefix must not contain "/", got "${prefix}"`);
  const path = mkdtempSync(join(tmpdir(), prefix));
  live.add(path);
  installExitHook();
  return {
    path,
    join: (...parts) => join(path, ...parts),
    write(relativePath, content, mode) {
      const file = join(path, relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      if (mode !== undefined) chmodSync(file, mode);
      return file;
    },
    mkdir(relativePath, mode) {
      const dir = join(path, relativePath);
      mkdirSync(dir, { recursive: true });
      if (mode !== undefined) chmodSync(dir, mode);
      return dir;
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
      live.delete(path);
    },
  };
}
