/**
 * The user-field flags shared by `user add` and `user set`, and their conversion to repository
 * changes. Values are checked here so a bad flag never reaches the database.
 */
import type { Command } from 'commander';
import type { UserChanges } from '@pigeondeliver/core';

/** Raw flag values as commander gives them. */
export interface UserFlags {
  uid?: string;
  gid?: string;
  home?: string;
  mail?: string;
  host?: string;
  backend?: string;
  quota?: string;
  enable?: boolean;
  disable?: boolean;
  imap?: boolean;
  pop3?: boolean;
}

/** Adds the shared user-field flags to a command. */
export function addUserFlags(cmd: Command): Command {
  return cmd
    .option('--uid <uid>', 'system uid the mail server runs as ("-" clears: use mail_uid)')
    .option('--gid <gid>', 'system gid ("-" clears: use mail_gid)')
    .option('--home <dir>', 'absolute home directory ("-" clears)')
    .option('--mail <location>', 'mail location, e.g. maildir:~/Maildir ("-" clears: Maildir under the home)')
    .option('--host <node>', 'cluster node that owns the mailbox ("-" clears: this node)')
    .option('--backend <name>', 'per-user backend: backend-dovecot or backend-courier ("-" clears: the default)')
    .option('--quota <size>', 'quota such as 500M or 2G ("-" clears: none)')
    .option('--enable', 'allow the user to log in')
    .option('--disable', 'refuse every login of the user')
    .option('--imap', 'allow IMAP')
    .option('--no-imap', 'refuse IMAP')
    .option('--pop3', 'allow POP3')
    .option('--no-pop3', 'refuse POP3');
}

/** A flag had a value that cannot be stored. */
export class UserFlagError extends Error {}

function cleared(v: string): boolean {
  return v === '-' || v === '';
}

function id(name: string, v: string): number | null {
  if (cleared(v)) return null;
  if (!/^\d+$/.test(v)) throw new UserFlagError(`--${name} must be a number, got "${v}"`);
  const n = Number(v);
  if (n === 0 || n > 4294967294) throw new UserFlagError(`--${name} ${n} is not allowed (0 is root; the maximum is 4294967294)`);
  return n;
}

function size(v: string): number | null {
  if (cleared(v)) return null;
  const m = /^(\d+)\s*([kmgt]?)i?b?$/i.exec(v.trim());
  if (!m) throw new UserFlagError(`--quota expects a size such as 500M or 2G, got "${v}"`);
  const units: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
  return Number(m[1]) * units[m[2]!.toLowerCase()]!;
}

function text(v: string): string | null {
  return cleared(v) ? null : v;
}

/** Converts flags to changes; only flags that were given appear in the result. */
export function userChangesFromFlags(flags: UserFlags): UserChanges {
  if (flags.enable && flags.disable) throw new UserFlagError('--enable and --disable contradict each other');
  const c: UserChanges = {};
  if (flags.uid !== undefined) c.uid = id('uid', flags.uid);
  if (flags.gid !== undefined) c.gid = id('gid', flags.gid);
  if (flags.home !== undefined) {
    c.home = text(flags.home);
    if (c.home !== null && !c.home.startsWith('/')) throw new UserFlagError(`--home must be an absolute path, got "${flags.home}"`);
  }
  if (flags.mail !== undefined) c.mail = text(flags.mail);
  if (flags.host !== undefined) c.host = text(flags.host);
  if (flags.backend !== undefined) {
    c.backend = text(flags.backend);
    if (c.backend !== null && !/^(backend-[a-z0-9-]+|@[\w.-]+\/[\w.-]+)$/.test(c.backend)) {
      throw new UserFlagError(`--backend expects a backend plugin name such as backend-dovecot, got "${flags.backend}"`);
    }
  }
  if (flags.quota !== undefined) c.quotaBytes = size(flags.quota);
  if (flags.enable) c.enabled = true;
  if (flags.disable) c.enabled = false;
  if (flags.imap !== undefined) c.allowImap = flags.imap;
  if (flags.pop3 !== undefined) c.allowPop3 = flags.pop3;
  return c;
}
