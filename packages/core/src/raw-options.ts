/**
 * The raw option entries of a process (config file, then `-o` overrides), read without loading any
 * plugin or validating anything: what a launch needs before its greeting, and the first step of
 * createApplication.
 */
import { parseCommandLine } from './command-line.js';
import { CONFIG_ENV, DEFAULT_CONFIG_PATH, readConfigFile } from './config-file.js';
import type { OptionSpec, RawOption } from './options.js';

/** The raw entries, the config file that was read and the arguments that were not -o/-c. */
export interface RawOptions {
  readonly raw: RawOption[];
  readonly configFile?: string;
  readonly rest: string[];
}

/** Looks a raw value up by key (the last entry wins); undefined when the key is not given. */
export type RawOptionLookup = (key: string) => string | undefined;

/** Reads the raw option entries (file, then command line) without validating them. */
export function readRawOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): RawOptions {
  const cmd = parseCommandLine(argv);
  const explicit = cmd.configFile ?? env[CONFIG_ENV];
  const path = explicit && explicit.length > 0 ? explicit : DEFAULT_CONFIG_PATH;
  const fileEntries = readConfigFile(path, explicit !== undefined && explicit.length > 0);
  return { raw: [...fileEntries, ...cmd.overrides], configFile: fileEntries.length > 0 || explicit ? path : undefined, rest: cmd.rest };
}

/** A {@link RawOptionLookup} over entries. */
export function rawLookup(raw: readonly RawOption[]): RawOptionLookup {
  return (key) => {
    let v: string | undefined;
    for (const r of raw) if (r.key === key) v = r.value;
    return v;
  };
}

/**
 * The value of one option from raw entries, parsed by its spec (default when absent). Throws the
 * spec's ConfigError for a bad value, as validation would.
 */
export function rawOptionValue<T>(lookup: RawOptionLookup, spec: OptionSpec<T>): T {
  return spec.parse(lookup(spec.key) ?? spec.defaultValue ?? '');
}
