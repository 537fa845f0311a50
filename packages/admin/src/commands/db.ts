/** `pd-admin db migrate`: brings the schema of the configured database up to date. */
import type { Command } from 'commander';
import type { AdminRunner } from '../admin-runner.js';

/** Registers the `db` command group. */
export function registerDbCommands(program: Command, run: AdminRunner): void {
  const db = program.command('db').description('database schema');
  db.command('migrate')
    .description('create or upgrade the tables of the configured database (safe to repeat)')
    .action(() =>
      run(async ({ ctx, io }) => {
        const applied = await ctx.db.migrate();
        io.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : `${ctx.db.dialect}: schema is up to date\n`);
      }),
    );
}
