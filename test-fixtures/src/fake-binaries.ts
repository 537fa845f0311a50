/**
 * Paths of the fake backend executables in test-fixtures/data/bin (shell scripts):
 * `fake-imapd` records argv/env/ids into $HOME/.fake-imapd.* and prints a banner;
 * `fake-exit-at-once` fails at once with code 75; `fake-never-answers` sleeps without a word.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test-fixtures/data/bin */
export const FAKE_BIN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'bin');
export const FAKE_IMAPD = join(FAKE_BIN_DIR, 'fake-imapd');
export const FAKE_EXIT_AT_ONCE = join(FAKE_BIN_DIR, 'fake-exit-at-once');
export const FAKE_NEVER_ANSWERS = join(FAKE_BIN_DIR, 'fake-never-answers');

/** What fake-imapd recorded in `home`. */
export interface FakeImapdRecord {
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly uid: number;
  readonly gid: number;
  readonly groups: number[];
  readonly cwd: string;
  readonly pid: number;
}

/** Reads the record fake-imapd left in `home`. */
export function readFakeImapdRecord(home: string): FakeImapdRecord {
  const base = join(home, '.fake-imapd');
  const argv = readFileSync(`${base}.argv`, 'utf8').replace(/\n$/, '').split('\n');
  const env: Record<string, string> = {};
  for (const line of readFileSync(`${base}.env`, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const id: Record<string, string> = {};
  for (const line of readFileSync(`${base}.id`, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) id[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return {
    argv,
    env,
    uid: Number(id.uid),
    gid: Number(id.gid),
    groups: (id.groups ?? '').split(' ').filter(Boolean).map(Number),
    cwd: id.cwd ?? '',
    pid: Number(id.pid),
  };
}
