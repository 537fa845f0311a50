/** The options backend-dovecot reads (prefix `dovecot_`). */
import { isAbsolute } from 'node:path';
import { boolOption, enumOption, intOption, listOption, stringOption, type OptionSpec } from '@pigeondeliver/core';
import { MAX_POOL_SHARDS } from './handoff/handoff-pools.js';

/**
 * How Dovecot's imap/pop3 is started: exec'd per session (`direct`, `doveconf`), or the session is
 * handed to a running Dovecot's reused processes (`handoff`, see src/handoff).
 */
export type DovecotMode = 'direct' | 'doveconf' | 'handoff';

/** A string option that is empty or an absolute path (a relative one would depend on the working directory). */
function absoluteDirOption(key: string, description: string, defaultValue: string): OptionSpec<string> {
  return {
    ...stringOption(key, description, defaultValue),
    parse: (raw) => {
      const value = raw.trim();
      if (value !== '' && !isAbsolute(value)) throw new Error(`"${value}" is not an absolute path`);
      return value;
    },
  };
}

export const DOVECOT_OPTIONS = {
  mode: enumOption(
    'dovecot_mode',
    'direct: exec imap/pop3 with the doveconf environment captured once (fast); doveconf: run doveconf -e for every session; handoff: pass the client to a running Dovecot\'s reused imap/pop3 processes (needs the generated Dovecot configuration, pd-dovecot-config)',
    ['direct', 'doveconf', 'handoff'] as const,
    'direct',
  ),
  imapPath: stringOption('dovecot_imap_path', "Dovecot's imap binary", '/usr/lib/dovecot/imap'),
  pop3Path: stringOption('dovecot_pop3_path', "Dovecot's pop3 binary", '/usr/lib/dovecot/pop3'),
  doveconfPath: stringOption('dovecot_doveconf_path', "Dovecot's doveconf binary", '/usr/bin/doveconf'),
  config: stringOption('dovecot_config', 'the dovecot.conf whose settings imap/pop3 use', '/etc/dovecot/dovecot.conf'),
  dovecotPath: stringOption('dovecot_path', "Dovecot's master binary (handoff mode: version check)", '/usr/sbin/dovecot'),
  handoffBaseDir: stringOption('dovecot_handoff_base_dir', "handoff mode: the running Dovecot's base_dir (login sockets are <base_dir>/login/<service>)", '/run/dovecot'),
  handoffAuthSocket: stringOption(
    'dovecot_handoff_auth_socket',
    'handoff mode: our auth-master socket, given to imap/pop3 as -a (outside base_dir, mode 0600)',
    '/run/pigeondeliver/dovecot-auth-master',
  ),
  handoffUids: listOption('dovecot_handoff_uids', 'handoff mode: uids that get a reused process pool each (empty: mail_uid)', ''),
  handoffOtherUids: enumOption(
    'dovecot_handoff_other_uids',
    'handoff mode: what users whose uid has no pool get',
    ['exec', 'refuse'] as const,
    'exec',
  ),
  handoffFallback: enumOption(
    'dovecot_handoff_fallback',
    'handoff mode: when the start-up checks (Dovecot version, self-test hand-off) fail: fail (refuse sessions, logged) or exec (use direct mode)',
    ['fail', 'exec'] as const,
    'fail',
  ),
  handoffVersions: listOption('dovecot_handoff_versions', 'handoff mode: Dovecot versions (prefixes) tested with the hand-off protocol', '2.3'),
  handoffSelfTest: boolOption('dovecot_handoff_self_test', 'handoff mode: make one test hand-off per pool at start-up', true),
  handoffLoginDir: absoluteDirOption(
    'dovecot_handoff_login_dir',
    "handoff mode: directory of the pools' login sockets (absolute; empty: <base_dir>/login, which Dovecot keeps root:dovenull 0750, so only root and Dovecot's login user reach it). For direct hand-offs by pd-forker-listen workers, use a directory they can traverse (e.g. /run/pigeondeliver/dovecot-login, mode 0755, created before Dovecot starts)",
    '',
  ),
  handoffDirect: boolOption(
    'dovecot_handoff_direct',
    'handoff mode in pd-forker-listen: workers send client descriptors to the login sockets themselves when they may (login sockets of dovecot_handoff_login_group = the workers\' group), else they delegate every hand-off to the privileged process',
    true,
  ),
  handoffLoginGroup: stringOption('dovecot_handoff_login_group', 'pd-dovecot-config: group that may use the login sockets (mode 0660; empty: root only, 0600)', ''),
  handoffProcessMinAvail: intOption('dovecot_handoff_process_min_avail', 'pd-dovecot-config: prestarted imap/pop3 processes per pool (spread over its shards)', 2, { min: 0 }),
  handoffProcessLimit: intOption('dovecot_handoff_process_limit', 'pd-dovecot-config: process_limit per pool (spread over its shards)', 256, { min: 1 }),
  handoffPoolShards: intOption(
    'dovecot_handoff_pool_shards',
    "handoff mode: Dovecot services per pool (imap-uid<N>-s1 ... -s<k>; 1: one service imap-uid<N>), used in turn: a connect to a login socket wakes every idle process of its service, so fewer processes per socket cost less CPU per login. Dovecot's configuration must be generated with the same value (pd-dovecot-config)",
    4,
    { min: 1, max: MAX_POOL_SHARDS },
  ),
} satisfies Record<string, OptionSpec<unknown>>;

/** Every option spec, for the manifest. */
export const DOVECOT_OPTION_SPECS: readonly OptionSpec<unknown>[] = Object.values(DOVECOT_OPTIONS);
