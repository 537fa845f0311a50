/**
 * `pd-admin auth test LOGIN`: runs the same authentication a login would (login-common's
 * Authenticator: one lookup, the stored scheme, enabled/protocol checks) with a password read from a
 * prompt or standard input, and prints the result and the configuration the login would use.
 */
import type { Command } from 'commander';
import {
  AuthResult,
  CORE_OPTIONS,
  IAuthenticator,
  UNKNOWN_ENDPOINT,
  identitySettingsFromOptions,
  resolve,
  resolveSessionIdentity,
  type AuthOutcome,
  type MailProtocol,
  type UserRecord,
} from '@pigeondeliver/core';
import { registerLoginCommon } from '@pigeondeliver/login-common';
import type { AdminRunner } from '../admin-runner.js';
import type { AdminContext } from '../admin-context.js';
import { readPassword } from '../password-input.js';

/** Registers the `auth` command group. */
export function registerAuthCommands(program: Command, run: AdminRunner): void {
  const auth = program.command('auth').description('check logins the way the login services do');
  auth
    .command('test <login>')
    .description('authenticate LOGIN with a password from a prompt or standard input; print the result and the configuration the login would use (exit 0 ok, 1 refused, 75 temporary failure)')
    .option('-p, --protocol <protocol>', 'imap or pop3', 'imap')
    .action((login: string, flags: { protocol: string }) =>
      run(async ({ ctx, io }) => {
        if (flags.protocol !== 'imap' && flags.protocol !== 'pop3') throw new Error(`--protocol must be imap or pop3, got "${flags.protocol}"`);
        const password = await readPassword(io, `Password for ${login}: `);
        const outcome = await authenticate(ctx, login, password, flags.protocol);
        io.stdout.write(`result: ${outcome.result}\n`);
        if (outcome.reason) io.stdout.write(`reason: ${outcome.reason}\n`);
        if (outcome.user) io.stdout.write(describeRoute(ctx, outcome.user) + '\n');
        if (outcome.result === AuthResult.Ok) return 0;
        return outcome.result === AuthResult.TempFail ? 75 : 1;
      }),
    );
}

async function authenticate(ctx: AdminContext, login: string, password: string, protocol: MailProtocol): Promise<AuthOutcome> {
  // This command is a composition root of its own: it wires login-common's authenticator exactly as a
  // login service does, into a child of the application's container, and resolves it once.
  const child = ctx.app.container.createChildContainer();
  registerLoginCommon(child, ctx.options);
  const authenticator = resolve(child, IAuthenticator);
  return authenticator.authenticate({
    sessionId: 'pd-admin',
    protocol,
    mechanism: 'PLAIN',
    login,
    credentials: { kind: 'password', password: Buffer.from(password, 'utf8') },
    remote: UNKNOWN_ENDPOINT,
    local: UNKNOWN_ENDPOINT,
    secured: true,
    // Trusted: no penalty delay for an administrator's check.
    trusted: true,
  });
}

/** The configuration a login of `user` would use: route, identity, home, mail location. */
function describeRoute(ctx: AdminContext, user: UserRecord): string {
  const nodeName = ctx.options.get(CORE_OPTIONS.nodeName);
  const lines = [`user: ${user.login}`];
  if (user.host && user.host !== nodeName) {
    lines.push(`route: proxy to node ${user.host} (this node is ${nodeName})`);
  } else {
    lines.push(`route: local, ${user.backend || ctx.options.get(CORE_OPTIONS.backend)}${user.backend ? ' (set on the user)' : ' (default backend)'}`);
  }
  try {
    const id = resolveSessionIdentity(user, identitySettingsFromOptions(ctx.options));
    lines.push(`uid: ${id.uid}`, `gid: ${id.gid}`, `home: ${id.home}`);
  } catch (e) {
    lines.push(`identity: unusable: ${(e as Error).message}`);
  }
  lines.push(`mail: ${user.mail || 'maildir:~/Maildir (default)'}`);
  lines.push(`quota: ${user.quotaBytes === null ? 'none' : `${user.quotaBytes} bytes`}`);
  lines.push(`imap: ${user.allowImap ? 'allowed' : 'refused'}`, `pop3: ${user.allowPop3 ? 'allowed' : 'refused'}`, `enabled: ${user.enabled ? 'yes' : 'no'}`);
  return lines.join('\n');
}
