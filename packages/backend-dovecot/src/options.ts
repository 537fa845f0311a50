/** The options backend-dovecot reads (prefix `dovecot_`). */
import { enumOption, stringOption, type OptionSpec } from '@pigeondeliver/core';

/** How Dovecot's imap/pop3 is started. */
export type DovecotMode = 'direct' | 'doveconf';

export const DOVECOT_OPTIONS = {
  mode: enumOption(
    'dovecot_mode',
    'direct: exec imap/pop3 with the doveconf environment captured once (fast); doveconf: run doveconf -e for every session',
    ['direct', 'doveconf'] as const,
    'direct',
  ),
  imapPath: stringOption('dovecot_imap_path', "Dovecot's imap binary", '/usr/lib/dovecot/imap'),
  pop3Path: stringOption('dovecot_pop3_path', "Dovecot's pop3 binary", '/usr/lib/dovecot/pop3'),
  doveconfPath: stringOption('dovecot_doveconf_path', "Dovecot's doveconf binary", '/usr/bin/doveconf'),
  config: stringOption('dovecot_config', 'the dovecot.conf whose settings imap/pop3 use', '/etc/dovecot/dovecot.conf'),
} satisfies Record<string, OptionSpec<unknown>>;

/** Every option spec, for the manifest. */
export const DOVECOT_OPTION_SPECS: readonly OptionSpec<unknown>[] = Object.values(DOVECOT_OPTIONS);
