/**
 * The {@link HandoffConfigSpec} that our options describe: what `pd-dovecot-config` prints and what
 * `pd-admin dovecot config` can print through {@link handoffConfigSpecFromOptions}.
 */
import { CORE_OPTIONS, ConfigError, type ResolvedOptions } from '@pigeondeliver/core';
import { DOVECOT_OPTIONS } from '../options.js';
import type { HandoffConfigSpec } from './dovecot-config.js';
import { parsePoolUids } from './handoff-pools.js';

/** Builds the generator's input from validated options (ConfigError on a bad uid list). */
export function handoffConfigSpecFromOptions(options: ResolvedOptions): HandoffConfigSpec {
  let uids: number[];
  try {
    uids = parsePoolUids(options.get(DOVECOT_OPTIONS.handoffUids), options.maybe(CORE_OPTIONS.mailUid));
  } catch (e) {
    throw new ConfigError((e as Error).message, DOVECOT_OPTIONS.handoffUids.key);
  }
  const group = options.get(DOVECOT_OPTIONS.handoffLoginGroup);
  return {
    authSocket: options.get(DOVECOT_OPTIONS.handoffAuthSocket),
    uids,
    loginGroup: group === '' ? undefined : group,
    loginDir: options.get(DOVECOT_OPTIONS.handoffLoginDir) || undefined,
    processMinAvail: options.get(DOVECOT_OPTIONS.handoffProcessMinAvail),
    processLimit: options.get(DOVECOT_OPTIONS.handoffProcessLimit),
    shards: options.get(DOVECOT_OPTIONS.handoffPoolShards),
  };
}
