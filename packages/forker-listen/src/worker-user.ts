/**
 * Which user the workers run as (listen_user). As root the default is `nobody`: no client byte is
 * parsed with uid 0 (DESIGN.md "Privileges"). Names are resolved with id(1), so NSS sources (LDAP,
 * files) all work, as they would for the C library.
 */
import { execFileSync } from 'node:child_process';
import { ConfigError } from '@pigeondeliver/core';

/** uid and gid for the workers; undefined means "run as ourselves". */
export interface WorkerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Resolves listen_user. `current` is our own uid (process.getuid()). */
export function resolveWorkerUser(option: string, current: number): WorkerUser | undefined {
  const wanted = option.trim() || (current === 0 ? 'nobody' : '');
  if (wanted === '') return undefined;
  const uid = lookup(wanted, '-u');
  const gid = lookup(wanted, '-g');
  if (uid === current) return undefined;
  if (current !== 0) {
    throw new ConfigError(`listen_user=${wanted}: only root can start workers as another user (we run as uid ${current}); leave listen_user empty`, 'listen_user');
  }
  if (uid === 0) throw new ConfigError('listen_user: workers must not run as root (they parse client input)', 'listen_user');
  return { name: wanted, uid, gid };
}

function lookup(user: string, flag: '-u' | '-g'): number {
  if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?$/.test(user)) throw new ConfigError(`listen_user: "${user}" is not a user name or uid`, 'listen_user');
  try {
    const out = execFileSync('id', [flag, user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (!/^\d+$/.test(out)) throw new Error(out);
    return Number(out);
  } catch {
    throw new ConfigError(`listen_user: no such user "${user}"`, 'listen_user');
  }
}
