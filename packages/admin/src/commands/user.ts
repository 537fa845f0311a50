/** `pd-admin user add|set|passwd|del|show|list`. */
import type { Command } from 'commander';
import { CORE_OPTIONS, NotFoundError } from '@pigeondeliver/core';
import { hashPassword } from '@pigeondeliver/passwords';
import type { AdminRunner } from '../admin-runner.js';
import { readPassword } from '../password-input.js';
import { addUserFlags, userChangesFromFlags, type UserFlags } from '../user-options.js';
import { formatUser, formatUserTable, userToJson } from '../user-format.js';

interface PasswordFlags {
  scheme?: string;
  password?: boolean;
}

/** Registers the `user` command group. */
export function registerUserCommands(program: Command, run: AdminRunner): void {
  const user = program.command('user').description('manage users of the shared database');

  addUserFlags(user.command('add <login>'))
    .description('create a user; the password is read from a prompt or the first line of standard input')
    .option('-s, --scheme <scheme>', 'password scheme (default: the password_scheme option)')
    .option('--no-password', 'create the user without a password (no password login possible)')
    .action((login: string, flags: UserFlags & PasswordFlags) =>
      run(async ({ ctx, io }) => {
        const changes = userChangesFromFlags(flags);
        let password: string | null = null;
        if (flags.password !== false) {
          const plain = await readPassword(io, `Password for ${login}: `, true);
          password = await hashPassword(flags.scheme ?? ctx.options.get(CORE_OPTIONS.passwordScheme), plain);
        }
        const created = await ctx.db.users.create({ login, password, ...changes });
        io.stdout.write(`created ${created.login}\n`);
      }),
    );

  addUserFlags(user.command('set <login>'))
    .description('change fields of a user (only the flags given)')
    .option('--expect-version <n>', 'fail unless the user is still at this version (see user show)')
    .action((login: string, flags: UserFlags & { expectVersion?: string }) =>
      run(async ({ ctx, io }) => {
        const changes = userChangesFromFlags(flags);
        if (Object.keys(changes).length === 0) throw new UsageError('nothing to change: give at least one flag (see --help)');
        const current = await mustGet(ctx.db.users.lookup(login), login);
        const version = flags.expectVersion !== undefined ? Number(flags.expectVersion) : current.version;
        const updated = await ctx.db.users.update(current.login, version, changes);
        io.stdout.write(`updated ${updated.login} (version ${updated.version})\n`);
      }),
    );

  user
    .command('passwd <login>')
    .description('set a new password, read from a prompt or the first line of standard input')
    .option('-s, --scheme <scheme>', 'password scheme (default: the password_scheme option)')
    .action((login: string, flags: PasswordFlags) =>
      run(async ({ ctx, io }) => {
        const current = await mustGet(ctx.db.users.lookup(login), login);
        const plain = await readPassword(io, `New password for ${current.login}: `, true);
        const password = await hashPassword(flags.scheme ?? ctx.options.get(CORE_OPTIONS.passwordScheme), plain);
        const updated = await ctx.db.users.update(current.login, current.version, { password });
        io.stdout.write(`password changed for ${updated.login}\n`);
      }),
    );

  user
    .command('del <login>')
    .description('delete a user (the mailbox on disk is not touched)')
    .action((login: string) =>
      run(async ({ ctx, io }) => {
        if (!(await ctx.db.users.remove(login))) throw new NotFoundError(`no such user: ${login}`);
        io.stdout.write(`deleted ${login}\n`);
      }),
    );

  user
    .command('show <login>')
    .description('print a user (never the password hash, only its scheme)')
    .option('--json', 'print JSON')
    .action((login: string, flags: { json?: boolean }) =>
      run(async ({ ctx, io }) => {
        const u = await mustGet(ctx.db.users.lookup(login), login);
        io.stdout.write((flags.json ? JSON.stringify(userToJson(u), null, 2) : formatUser(u)) + '\n');
      }),
    );

  user
    .command('list [prefix]')
    .description('list users, optionally those whose login starts with prefix')
    .option('--json', 'print JSON')
    .action((prefix: string | undefined, flags: { json?: boolean }) =>
      run(async ({ ctx, io }) => {
        const users = await ctx.db.users.list(prefix);
        io.stdout.write((flags.json ? JSON.stringify(users.map(userToJson), null, 2) : formatUserTable(users)) + '\n');
      }),
    );
}

/** A command was used wrongly (exit 64). */
export class UsageError extends Error {}

async function mustGet<T>(p: Promise<T | undefined>, login: string): Promise<T> {
  const v = await p;
  if (v === undefined) throw new NotFoundError(`no such user: ${login}`);
  return v;
}
