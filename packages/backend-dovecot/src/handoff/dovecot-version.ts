/**
 * The start-up version check of handoff mode (docs/dovecot-login-handoff.md §7): the hand-off
 * request is an unversioned C struct, so only Dovecot versions we tested are accepted.
 */
import { execFileSync } from 'node:child_process';
import { ConfigError } from '@pigeondeliver/core';

/** `dovecot --version` (`2.3.19.1 (9b53102964)`) -> `2.3.19.1`. */
export function readDovecotVersion(dovecotPath: string): string {
  let out: string;
  try {
    out = execFileSync(dovecotPath, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new ConfigError(`cannot run ${dovecotPath} --version: ${(e as Error).message}`, 'dovecot_path');
  }
  const m = /^(\d+(?:\.\d+)+)/.exec(out.trim());
  if (!m) throw new ConfigError(`${dovecotPath} --version printed ${JSON.stringify(out.trim())}, not a version`, 'dovecot_path');
  return m[1]!;
}

/** Whether `version` is one of the tested prefixes (`2.3` matches 2.3.x, not 2.30). */
export function isTestedVersion(version: string, tested: readonly string[]): boolean {
  return tested.some((p) => version === p || version.startsWith(`${p}.`));
}
