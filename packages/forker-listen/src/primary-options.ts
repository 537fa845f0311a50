/**
 * The options the primary reads itself. It validates only the keys it knows (core's and the daemon's
 * own): the workers load the plugins and validate everything, and report a bad key as one line.
 */
import { CORE_OPTION_SPECS, readRawOptions, validateOptions, type RawOption, type ResolvedOptions } from '@pigeondeliver/core';
import { LISTEN_OPTION_SPECS } from './listen-options.js';

/** The primary's view of the configuration. */
export interface PrimaryConfig {
  readonly options: ResolvedOptions;
  /** The last raw value of any key (tls_* are login-common's, read by key). */
  value(key: string): string | undefined;
  readonly configFile?: string;
  readonly rest: readonly string[];
}

/** Reads the config file and command line (again on SIGHUP). Throws ConfigError. */
export function readPrimaryConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): PrimaryConfig {
  const { raw, configFile, rest } = readRawOptions(argv, env);
  const specs = [...CORE_OPTION_SPECS, ...LISTEN_OPTION_SPECS];
  const known = new Set(specs.map((s) => s.key));
  const options = validateOptions(
    raw.filter((r) => known.has(r.key)),
    specs,
  );
  const last = new Map<string, RawOption>();
  for (const r of raw) last.set(r.key, r);
  return { options, value: (key) => last.get(key)?.value, configFile, rest };
}
