/**
 * Runs one pd-admin command: opens the context, runs the action, closes the database, and turns
 * errors into one clear line and a sysexits code.
 */
import {
  ConflictError,
  DatabaseUnavailableError,
  ExitCode,
  NotFoundError,
  StaleUpdateError,
  describeError,
  type OptionSpec,
} from '@pigeondeliver/core';
import { openAdminContext, type AdminContext, type AdminIo } from './admin-context.js';
import { PasswordInputError } from './password-input.js';
import { UserFlagError } from './user-options.js';
import { UsageError } from './commands/user.js';

/** sysexits EX_NOUSER: the named user does not exist. */
const EX_NOUSER = 67;

/** A command body: returns an exit code or nothing (0). */
export type AdminAction = (x: { ctx: AdminContext; io: AdminIo }) => Promise<void | number>;

/** What each command calls to run its body. */
export type AdminRunner = (action: AdminAction, opts?: { database?: boolean; extraOptions?: readonly OptionSpec<unknown>[] }) => Promise<void>;

/** Makes the runner for one invocation; `setExitCode` receives the final code. */
export function createAdminRunner(io: AdminIo, setExitCode: (code: number) => void): AdminRunner {
  return async (action, opts = {}) => {
    let ctx: AdminContext | undefined;
    try {
      ctx = await openAdminContext(io, opts.database ?? true, opts.extraOptions);
      const code = await action({ ctx, io });
      setExitCode(typeof code === 'number' ? code : ExitCode.Ok);
    } catch (e) {
      const { message, code } = classify(e);
      io.stderr.write(`pd-admin: ${message}\n`);
      setExitCode(code);
    } finally {
      await ctx?.app.close().catch(() => undefined);
    }
  };
}

function classify(e: unknown): { message: string; code: number } {
  if (e instanceof NotFoundError) return { message: e.message, code: EX_NOUSER };
  if (e instanceof StaleUpdateError) return { message: e.message, code: ExitCode.TempFail };
  if (e instanceof DatabaseUnavailableError) return { message: `database unavailable: ${e.message}`, code: ExitCode.TempFail };
  if (e instanceof ConflictError) return { message: e.message, code: ExitCode.DataError };
  if (e instanceof UserFlagError || e instanceof UsageError) return { message: e.message, code: ExitCode.Usage };
  if (e instanceof PasswordInputError) return { message: e.message, code: ExitCode.DataError };
  const described = describeError('pd-admin', e);
  return { message: described.message.replace(/^pd-admin: /, ''), code: described.exitCode };
}
