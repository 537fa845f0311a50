#!/usr/bin/env node
/** pd-forker-stdio: one IMAP/POP3 login session on stdin/stdout; logs JSON on stderr. See README.md. */
import { CORE_OPTION_SPECS, formatOptionHelp, runProgram } from '@pigeondeliver/core/early';
import { PROGRAM, runStdio } from './run-stdio.js';
import { STDIO_OPTION_SPECS } from './stdio-options.js';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(
    `usage: ${PROGRAM} [-c CONFIG] -o dscm_service=login-imap|login-pop3 [-o key=value]...\n\n` +
      'Serves one client on stdin/stdout (inetd nowait, tcpserver, socat, systemd Accept=yes with\n' +
      'StandardInput=socket, or a pipe). The client address comes from the socket or from TCPREMOTEIP,\n' +
      'REMOTE_ADDR, SOCAT_PEERADDR or SSH_CLIENT. Logs JSON lines on stderr.\n\nOptions:\n' +
      formatOptionHelp([...STDIO_OPTION_SPECS, ...CORE_OPTION_SPECS]) +
      '\n',
  );
  process.exit(0);
}
runProgram(PROGRAM, () => runStdio(argv));
