#!/usr/bin/env node
/**
 * pd-forker-listen: the standalone daemon. Foreground, JSON logs on stderr; see README.md.
 */
import { CORE_OPTION_SPECS, ExitCode, formatOptionHelp, runProgram } from '@pigeondeliver/core';
import { createPrimaryLauncher } from './launcher-factory.js';
import { LISTEN_OPTION_SPECS } from './listen-options.js';
import { PROGRAM } from './program-name.js';
import { ListenDaemon, WorkerStartupError } from './primary.js';

const USAGE = `usage: ${PROGRAM} [-c CONFIG] [-o key=value]...

Standalone IMAP/POP3 login daemon: a privileged primary binds the listeners (or takes them from systemd
socket activation) and starts sessions; unprivileged workers serve the clients. Runs in the foreground
and logs JSON lines on stderr. SIGHUP reloads, SIGTERM stops (sessions already handed over continue).

Listener syntax: listen = NAME=ADDRESS:PORT[/tls][/proxy][/service=PLUGIN], ...
  e.g. -o 'listen=imap=[::]:143, imaps=[::]:993/tls, pop3=0.0.0.0:110/proxy'

Options of the daemon and core (plugins add their own):
`;

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(USAGE + formatOptionHelp([...LISTEN_OPTION_SPECS, ...CORE_OPTION_SPECS]) + '\n');
  process.exit(ExitCode.Ok);
}

runProgram(PROGRAM, async () => {
  try {
    await new ListenDaemon(argv, createPrimaryLauncher).start();
  } catch (e) {
    if (e instanceof WorkerStartupError) {
      process.stderr.write(e.message + '\n');
      process.exit(e.exitCode);
    }
    throw e;
  }
});
