/**
 * `pd-admin dovecot config`: prints the Dovecot 2.3 configuration (services, login sockets, one pool
 * per uid) that backend-dovecot's handoff mode (`dovecot_mode = handoff`) needs, from the same
 * configuration the services read.
 */
import type { Command } from 'commander';
import { DOVECOT_OPTION_SPECS, generateDovecotHandoffConfig, handoffConfigSpecFromOptions } from '@pigeondeliver/backend-dovecot';
import type { AdminRunner } from '../admin-runner.js';

/** Registers the `dovecot` command group. */
export function registerDovecotCommands(program: Command, run: AdminRunner): void {
  const dovecot = program.command('dovecot').description('Dovecot integration');
  dovecot
    .command('config')
    .description('print the Dovecot services for dovecot_mode=handoff (include the output from dovecot.conf)')
    .action(() =>
      run(
        async ({ ctx, io }) => {
          io.stdout.write(generateDovecotHandoffConfig(handoffConfigSpecFromOptions(ctx.options)));
        },
        { database: false, extraOptions: DOVECOT_OPTION_SPECS },
      ),
    );
}
