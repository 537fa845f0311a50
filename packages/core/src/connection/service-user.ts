/**
 * The unprivileged identity a one-process-per-connection forker switches its effective uid to before
 * it reads a client byte (DESIGN.md "Privileges"; core `launch/privileges.ts` does the switch). Given
 * as `uid:gid`, a uid, or a user name. Names are looked up in /etc/passwd first (no process started,
 * which matters for a per-connection launch) and then with id(1), so NSS sources (LDAP) work too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

/** A resolved system user. */
export interface ServiceUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?$/;

/**
 * Resolves `value` (the option `key`, for messages). Refuses uid 0 (the point is not to be root) and
 * names that do not exist, with a ConfigError naming the key.
 */
export function resolveServiceUser(value: string, key: string): ServiceUser {
  const v = value.trim();
  let user: ServiceUser | undefined;
  const numeric = /^(\d+)(?::(\d+))?$/.exec(v);
  if (numeric) {
    const uid = Number(numeric[1]);
    user = { name: v, uid, gid: numeric[2] !== undefined ? Number(numeric[2]) : (passwdEntry((e) => e.uid === uid)?.gid ?? uid) };
  } else {
    if (!NAME.test(v)) throw new ConfigError(`${key}: "${value}" is not a user name, uid or uid:gid`, key);
    user = passwdEntry((e) => e.name === v) ?? viaId(v, key);
  }
  if (user.uid === 0 || user.gid === 0) throw new ConfigError(`${key}: client input must not be read as root (uid/gid 0); name an unprivileged user such as nobody`, key);
  return user;
}

function passwdEntry(match: (e: ServiceUser) => boolean): ServiceUser | undefined {
  let text: string;
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) continue;
    const e = { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) };
    if (match(e)) return e;
  }
  return undefined;
}

function viaId(name: string, key: string): ServiceUser {
  try {
    const uid = execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const gid = execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid)) throw new Error('unexpected id(1) output');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    throw new ConfigError(`${key}: no such user "${name}"`, key);
  }
}
