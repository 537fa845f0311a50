#!/usr/bin/env node
/**
 * pd-dovecot-config: prints the Dovecot configuration for handoff mode, from PigeonDeliver's
 * configuration file (`-c FILE`, default /etc/pigeondeliver/pigeondeliver.cf) and `-o key=value`
 * overrides. Exit 0 with the snippet on stdout, or 1 with the problem on stderr.
 */
import {
  CONFIG_ENV,
  CORE_OPTIONS,
  CORE_OPTION_SPECS,
  DEFAULT_CONFIG_PATH,
  STANDARD_PLUGIN_PREFIXES,
  formatOptionHelp,
  parseCommandLine,
  readConfigFile,
  validateOptions,
} from '@pigeondeliver/core';
import { DOVECOT_OPTIONS, DOVECOT_OPTION_SPECS } from '../options.js';
import { generateDovecotHandoffConfig } from './dovecot-config.js';
import { handoffConfigSpecFromOptions } from './config-options.js';

const USAGE = 'usage: pd-dovecot-config [-c pigeondeliver.cf] [-o key=value]...';

/** The options the printed services are made from (handoffConfigSpecFromOptions), for --help. */
const SHAPING_OPTIONS = [
  DOVECOT_OPTIONS.handoffAuthSocket,
  DOVECOT_OPTIONS.handoffUids,
  CORE_OPTIONS.mailUid,
  DOVECOT_OPTIONS.handoffPoolShards,
  DOVECOT_OPTIONS.handoffProcessMinAvail,
  DOVECOT_OPTIONS.handoffProcessLimit,
  DOVECOT_OPTIONS.handoffLoginGroup,
  DOVECOT_OPTIONS.handoffLoginDir,
];

try {
  const cl = parseCommandLine(process.argv.slice(2));
  if (cl.rest.includes('--help') || cl.rest.includes('-h')) {
    process.stdout.write(
      `${USAGE}\nPrints the Dovecot 2.3 services for dovecot_mode=handoff (include it from dovecot.conf).\n` +
        `Run it again (and reload Dovecot) after changing any of these options:\n${formatOptionHelp(SHAPING_OPTIONS)}\n`,
    );
    process.exit(0);
  }
  if (cl.rest.length > 0) throw new Error(`unexpected argument ${cl.rest[0]}\n${USAGE}`);
  const file = cl.configFile ?? process.env[CONFIG_ENV] ?? DEFAULT_CONFIG_PATH;
  const raw = [...readConfigFile(file, cl.configFile !== undefined || process.env[CONFIG_ENV] !== undefined), ...cl.overrides];
  const prefixes = STANDARD_PLUGIN_PREFIXES.filter((p) => p !== 'dovecot_');
  const options = validateOptions(raw, [...CORE_OPTION_SPECS, ...DOVECOT_OPTION_SPECS], prefixes);
  process.stdout.write(generateDovecotHandoffConfig(handoffConfigSpecFromOptions(options)));
} catch (e) {
  process.stderr.write(`pd-dovecot-config: ${(e as Error).message}\n`);
  process.exit(1);
}
