#!/usr/bin/env node
/**
 * pd-forker-inetd: run from inetd.conf, nowait or wait mode (detected from fd 0). See README.md.
 */
import { CORE_OPTION_SPECS, ExitCode, formatOptionHelp } from '@pigeondeliver/core/early';
import { INETD_OPTION_SPECS } from './inetd-options.js';
import { runInetd } from './inetd-main.js';
import { PROGRAM } from './program-name.js';

const USAGE = `usage (inetd.conf; no PATH under inetd, so give node by absolute path):
  imap stream tcp nowait root /usr/bin/node node /path/to/${PROGRAM} -o dscm_service=login-imap -o inetd_log_file=/var/log/pd-imap.log
  pop3 stream tcp wait   root /usr/bin/node node /path/to/${PROGRAM} -o dscm_service=login-pop3

nowait: one process per connection (fd 0 is the client). wait: the process accepts on fd 0 and exits after
inetd_idle_timeout without a client. stderr is a socket under inetd: logs go to inetd_log_file or nowhere.

Options of the forker and core (plugins add their own):
`;

const argv = process.argv.slice(2);
if (argv[0] === '--help' || argv[0] === '-h') {
  process.stdout.write(USAGE + formatOptionHelp([...INETD_OPTION_SPECS, ...CORE_OPTION_SPECS]) + '\n');
  process.exit(ExitCode.Ok);
} else {
  void runInetd(argv);
}
