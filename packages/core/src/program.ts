/**
 * Helpers for the `bin` entry points: clear one-line errors and exit codes (sysexits), option help.
 */
import { ConfigError, PluginLoadError } from './errors.js';
import type { OptionSpec } from './options.js';

/** sysexits.h codes used by the programs. */
export enum ExitCode {
  Ok = 0,
  Failure = 1,
  Usage = 64,
  DataError = 65,
  Unavailable = 69,
  Software = 70,
  TempFail = 75,
  Config = 78,
}

/** Formats errors for a person: configuration and plugin errors are one clear message, others show the stack at debug. */
export function describeError(program: string, e: unknown): { message: string; exitCode: ExitCode } {
  // By name too: a launch that greets first loads core/early before the full core, and the module
  // resolver may reach the two through different paths (a workspace symlink), giving two copies of
  // the error classes.
  const name = (e as Error | undefined)?.name;
  if (e instanceof ConfigError || name === 'ConfigError') return { message: `${program}: configuration error: ${(e as Error).message}`, exitCode: ExitCode.Config };
  if (e instanceof PluginLoadError || name === 'PluginLoadError') return { message: `${program}: ${(e as Error).message}`, exitCode: ExitCode.Config };
  const err = e as Error;
  return { message: `${program}: ${err?.message ?? String(e)}`, exitCode: ExitCode.Software };
}

/** Runs `main`; on error prints one clear line (stack with PIGEONDELIVER_DEBUG=1) and exits non-zero. */
export function runProgram(program: string, main: () => Promise<void | number>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (e: unknown) => {
      const { message, exitCode } = describeError(program, e);
      process.stderr.write(message + '\n');
      if (process.env.PIGEONDELIVER_DEBUG && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
      process.exit(exitCode);
    },
  );
}

/** Lines for `--help`: every option with its default. */
export function formatOptionHelp(specs: readonly OptionSpec<unknown>[]): string {
  const width = Math.min(32, Math.max(...specs.map((s) => s.key.length)) + 2);
  // A key as long as the column (dovecot_handoff_process_min_avail) still gets a space before its text.
  const name = (key: string): string => (key.length < width ? key.padEnd(width) : `${key} `);
  return specs
    .map((s) => `  ${name(s.key)}${s.description}${s.defaultValue !== undefined && s.defaultValue !== '' ? ` [default: ${s.defaultValue}]` : ''}`)
    .join('\n');
}
