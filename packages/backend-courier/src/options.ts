/** The options backend-courier reads (prefix `courier_`). */
import { stringOption, type OptionSpec } from '@pigeondeliver/core';

export const COURIER_OPTIONS = {
  prefix: stringOption('courier_prefix', 'where scripts/install-courier.sh unpacked Courier (use / for a normal installation)', '/opt/pigeondeliver/courier'),
  imapdPath: stringOption('courier_imapd_path', "Courier's imapd (empty: <courier_prefix>/usr/bin/imapd)", ''),
  pop3dPath: stringOption('courier_pop3d_path', "Courier's courierpop3d (empty: <courier_prefix>/usr/lib/courier/courier/courierpop3d)", ''),
  config: stringOption('courier_config', "directory of Courier's imapd and pop3d variable files (empty: <courier_prefix>/etc/courier)", ''),
} satisfies Record<string, OptionSpec<unknown>>;

/** Every option spec, for the manifest. */
export const COURIER_OPTION_SPECS: readonly OptionSpec<unknown>[] = Object.values(COURIER_OPTIONS);
