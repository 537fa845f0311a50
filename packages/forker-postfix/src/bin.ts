#!/usr/bin/env node
/**
 * pd-forker-postfix: a service of the Postfix master (master.cf), or `--install` to write the wrapper
 * master runs from daemon_directory. See README.md.
 */
import { CORE_OPTION_SPECS, ExitCode, formatOptionHelp, runProgram } from '@pigeondeliver/core/early';
import { installWrapper, parseInstallArgv } from './install.js';
import { POSTFIX_OPTION_SPECS } from './postfix-options.js';
import { runPostfixChild } from './postfix-main.js';
import { PROGRAM } from './program-name.js';

const USAGE = `usage: ${PROGRAM} --install [--daemon-directory DIR] [--config FILE] [--name NAME] [--node PATH]
       (run by the Postfix master from master.cf:)
       imap inet n - n - - ${PROGRAM} -o dscm_service=login-imap
       pop3 inet n - n - - ${PROGRAM} -o dscm_service=login-pop3

--install writes ${PROGRAM} into Postfix's daemon_directory (default: postconf -h daemon_directory), the only
place master runs commands from. Logs go to Postfix's log through postlog, tagged $MAIL_LOGTAG/<dscm_service>.

Options of the forker and core (plugins add their own):
`;

const argv = process.argv.slice(2);
if (argv[0] === '--help' || argv[0] === '-h') {
  process.stdout.write(USAGE + formatOptionHelp([...POSTFIX_OPTION_SPECS, ...CORE_OPTION_SPECS]) + '\n');
  process.exit(ExitCode.Ok);
} else if (argv[0] === '--install') {
  runProgram(PROGRAM, async () => {
    const path = installWrapper(parseInstallArgv(argv.slice(1)));
    process.stdout.write(`${PROGRAM}: wrote ${path}\nmaster.cf example:\n  imap inet n - n - - ${PROGRAM} -o dscm_service=login-imap\n`);
  });
} else {
  void runPostfixChild(argv);
}
