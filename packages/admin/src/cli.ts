/**
 * The pd-admin command line: `-c FILE` and `-o key=value` (anywhere, as for the services) select the
 * configuration; the rest is a commander program with `--help` on every command.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, parseCommandLine } from '@pigeondeliver/core';
import type { AdminIo } from './admin-context.js';
import { createAdminRunner } from './admin-runner.js';
import { registerDbCommands } from './commands/db.js';
import { registerUserCommands } from './commands/user.js';
import { registerPwCommands } from './commands/pw.js';
import { registerAuthCommands } from './commands/auth.js';
import { registerDovecotCommands } from './commands/dovecot.js';

/** Streams and environment for one run (tests pass their own). */
export type AdminStreams = Omit<AdminIo, 'optionArgs'>;

/** Runs pd-admin with `argv` (arguments after the program name); resolves the exit code. */
export async function runAdmin(argv: readonly string[], streams: AdminStreams): Promise<number> {
  let cmd;
  try {
    cmd = parseCommandLine(argv);
  } catch (e) {
    streams.stderr.write(`pd-admin: ${(e as Error).message}\n`);
    return ExitCode.Usage;
  }
  const optionArgs = [
    ...(cmd.configFile ? ['-c', cmd.configFile] : []),
    ...cmd.overrides.flatMap((o) => ['-o', `${o.key}=${o.value}`]),
  ];
  const io: AdminIo = { ...streams, optionArgs };
  let exitCode: number = ExitCode.Ok;
  const run = createAdminRunner(io, (c) => (exitCode = c));
  const program = new Command('pd-admin')
    .description('PigeonDeliver administration: users, passwords, database')
    .usage('[-c FILE] [-o key=value]... <command>')
    .addHelpText(
      'after',
      '\nGlobal options (anywhere on the line, as for the services):\n' +
        '  -c FILE          config file (default: $PIGEONDELIVER_CONFIG or /etc/pigeondeliver/pigeondeliver.cf)\n' +
        '  -o key=value     set an option, e.g. -o database=db-postgres -o database_url=postgres://127.0.0.1/mail\n' +
        '\nPasswords are never taken from the command line: they are read from a prompt or the first line of\n' +
        'standard input.\n' +
        'Exit codes: 0 ok, 1 mismatch/failed, 64 usage, 65 bad data, 67 no such user, 75 temporary (database\n' +
        'down, changed since read), 78 configuration.\n',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => streams.stdout.write(s),
      writeErr: (s) => streams.stderr.write(s),
    })
    .showHelpAfterError('(use --help for usage)');
  registerDbCommands(program, run);
  registerUserCommands(program, run);
  registerPwCommands(program, run);
  registerAuthCommands(program, run);
  registerDovecotCommands(program, run);
  try {
    await program.parseAsync([...cmd.rest], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version' ? ExitCode.Ok : ExitCode.Usage;
    }
    throw e;
  }
  return exitCode;
}
