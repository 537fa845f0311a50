/**
 * Command-line options exactly as the Postfix master passes them: `-o key=value` and `-okey=value`
 * (repeatable), `-c FILE` / `-cFILE` for the config file. Everything else is returned untouched for
 * the forker's own flags.
 */
import { ConfigError } from './errors.js';
import type { RawOption } from './options.js';

/** What {@link parseCommandLine} extracts. */
export interface CommandLine {
  /** `-o` settings in order (later wins). */
  readonly overrides: RawOption[];
  /** `-c FILE`, if given. */
  readonly configFile?: string;
  /** Arguments that are not `-o`/`-c`, in order, for the caller. */
  readonly rest: string[];
}

/** Splits argv (without node and script) into overrides, config file and the rest. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const overrides: RawOption[] = [];
  const rest: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '-o' || arg === '-c') {
      const value = argv[++i];
      if (value === undefined) throw new ConfigError(`${arg} needs an argument`);
      if (arg === '-c') configFile = value;
      else overrides.push(parseAssignment(value));
    } else if (arg.startsWith('-o') && arg.length > 2) {
      overrides.push(parseAssignment(arg.slice(2)));
    } else if (arg.startsWith('-c') && arg.length > 2) {
      configFile = arg.slice(2);
    } else {
      rest.push(arg);
    }
  }
  return { overrides, configFile, rest };
}

function parseAssignment(text: string): RawOption {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ConfigError(`-o expects key=value, got "${text}"`);
  const key = text.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new ConfigError(`-o: "${key}" is not a valid option name`);
  return { key, value: text.slice(eq + 1).trim(), source: 'command line' };
}
