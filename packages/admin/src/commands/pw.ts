/** `pd-admin pw hash|verify|schemes`: Dovecot-compatible password hashes. */
import type { Command } from 'commander';
import { CORE_OPTIONS } from '@pigeondeliver/core';
import { hashPassword, supportedSchemes, verifyPassword } from '@pigeondeliver/passwords';
import type { AdminRunner } from '../admin-runner.js';
import { readPassword } from '../password-input.js';

/** Registers the `pw` command group. */
export function registerPwCommands(program: Command, run: AdminRunner): void {
  const pw = program.command('pw').description('password hashes (like doveadm pw)');
  pw.command('hash')
    .description('print the hash of a password read from a prompt or standard input')
    .option('-s, --scheme <scheme>', 'password scheme (default: the password_scheme option)')
    .action((flags: { scheme?: string }) =>
      run(
        async ({ ctx, io }) => {
          const plain = await readPassword(io, 'Password: ', true);
          io.stdout.write((await hashPassword(flags.scheme ?? ctx.options.get(CORE_OPTIONS.passwordScheme), plain)) + '\n');
        },
        { database: false },
      ),
    );
  pw.command('verify <hash>')
    .description('check a password read from a prompt or standard input against a hash; exit 0 if it matches, 1 if not')
    .action((hash: string) =>
      run(
        async ({ ctx, io }) => {
          const plain = await readPassword(io, 'Password: ');
          const ok = await verifyPassword(hash, plain, { defaultScheme: ctx.options.get(CORE_OPTIONS.defaultPassScheme) });
          io.stdout.write(ok ? 'verified\n' : 'mismatch\n');
          return ok ? 0 : 1;
        },
        { database: false },
      ),
    );
  pw.command('schemes')
    .description('list the supported schemes')
    .action(() =>
      run(
        async ({ io }) => {
          io.stdout.write(supportedSchemes().join('\n') + '\n');
        },
        { database: false },
      ),
    );
}
