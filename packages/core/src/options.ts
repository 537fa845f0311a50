/**
 * Typed options. Every key a package reads is declared as an {@link OptionSpec} (key, parser, default,
 * description); startup validates every given key against the specs of the loaded packages, so an
 * unknown key, a bad value or a missing required value stops the program with a message naming it.
 */
import { createRequire } from 'node:module';
import { ConfigError } from './errors.js';

type Levenshtein = typeof import('fastest-levenshtein');
let levenshtein: Levenshtein | undefined;

/**
 * fastest-levenshtein, loaded at the first misspelt key or value only: this module is on the
 * pre-greeting path of the one-process-per-connection forkers, where every module counts.
 */
function spelling(): Levenshtein {
  return (levenshtein ??= createRequire(import.meta.url)('fastest-levenshtein') as Levenshtein);
}

/** Where a raw value came from, for error messages (`command line`, `/etc/pigeondeliver/pigeondeliver.cf:12`). */
export interface RawOption {
  readonly key: string;
  readonly value: string;
  readonly source: string;
}

/** A declared option. */
export interface OptionSpec<T> {
  readonly key: string;
  /** One line for `--help` and docs/options.md. */
  readonly description: string;
  /** Default as it would be written in the config file; undefined means no default. */
  readonly defaultValue?: string;
  /** A value is required (no default). */
  readonly required?: boolean;
  /** Converts the raw string; throws Error with a message that says what is expected. */
  parse(raw: string): T;
}

const BOOLEAN_TRUE = new Set(['yes', 'true', 'on', '1']);
const BOOLEAN_FALSE = new Set(['no', 'false', 'off', '0']);

/** Defines a string option. */
export function stringOption(key: string, description: string, defaultValue?: string): OptionSpec<string> {
  return { key, description, defaultValue, parse: (raw) => raw };
}

/** Defines an option that must be given (no default). */
export function requiredStringOption(key: string, description: string): OptionSpec<string> {
  return {
    key,
    description,
    required: true,
    parse: (raw) => {
      if (raw === '') throw new Error('a value is required');
      return raw;
    },
  };
}

/** Defines an integer option with bounds. */
export function intOption(
  key: string,
  description: string,
  defaultValue: number | undefined,
  bounds: { min?: number; max?: number } = {},
): OptionSpec<number> {
  return {
    key,
    description,
    defaultValue: defaultValue === undefined ? undefined : String(defaultValue),
    parse: (raw) => {
      if (!/^-?\d+$/.test(raw.trim())) throw new Error(`expected an integer, got "${raw}"`);
      const n = Number(raw.trim());
      if (bounds.min !== undefined && n < bounds.min) throw new Error(`must be at least ${bounds.min}, got ${n}`);
      if (bounds.max !== undefined && n > bounds.max) throw new Error(`must be at most ${bounds.max}, got ${n}`);
      return n;
    },
  };
}

/** Defines a yes/no option (Postfix style: yes/no, also true/false, on/off, 1/0). */
export function boolOption(key: string, description: string, defaultValue: boolean): OptionSpec<boolean> {
  return {
    key,
    description,
    defaultValue: defaultValue ? 'yes' : 'no',
    parse: (raw) => {
      const v = raw.trim().toLowerCase();
      if (BOOLEAN_TRUE.has(v)) return true;
      if (BOOLEAN_FALSE.has(v)) return false;
      throw new Error(`expected yes or no, got "${raw}"`);
    },
  };
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses a Postfix-style time value (`10s`, `5m`, `1h`, `250ms`; a bare number is in `defaultUnit`) into milliseconds. */
export function parseDuration(raw: string, defaultUnit: 'ms' | 's' = 's'): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/.exec(raw.trim());
  if (!m) throw new Error(`expected a time such as 30s, 5m or 1h, got "${raw}"`);
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? defaultUnit]!);
}

/** Defines a duration option; the value is in milliseconds. */
export function durationOption(key: string, description: string, defaultValue: string): OptionSpec<number> {
  return { key, description, defaultValue, parse: (raw) => parseDuration(raw) };
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Defines a size option (`8192`, `64k`, `10M`); the value is in bytes. */
export function sizeOption(key: string, description: string, defaultValue: string, bounds: { min?: number } = {}): OptionSpec<number> {
  return {
    key,
    description,
    defaultValue,
    parse: (raw) => {
      const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(raw.trim());
      if (!m) throw new Error(`expected a size such as 8192, 64k or 10M, got "${raw}"`);
      const n = Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!;
      if (bounds.min !== undefined && n < bounds.min) throw new Error(`must be at least ${bounds.min} bytes`);
      return n;
    },
  };
}

/** Splits a Postfix-style list: separated by commas and/or whitespace. */
export function splitList(raw: string): string[] {
  return raw.split(/[\s,]+/).filter((s) => s.length > 0);
}

/** Defines a list option (comma or whitespace separated). */
export function listOption(key: string, description: string, defaultValue = ''): OptionSpec<string[]> {
  return { key, description, defaultValue, parse: splitList };
}

/** Defines an option whose value is one of `choices`. */
export function enumOption<T extends string>(key: string, description: string, choices: readonly T[], defaultValue: T): OptionSpec<T> {
  return {
    key,
    description: `${description} (${choices.join(', ')})`,
    defaultValue,
    parse: (raw) => {
      const v = raw.trim() as T;
      if (!choices.includes(v)) {
        const { closest, distance } = spelling();
        const near = closest(v, [...choices]);
        throw new Error(`expected one of ${choices.join(', ')}, got "${raw}"${near && distance(v, near) <= 2 ? ` (did you mean "${near}"?)` : ''}`);
      }
      return v;
    },
  };
}

/**
 * Validated options of one process. Created by {@link validateOptions}; every declared key has been
 * parsed once, so `get` never throws for a declared spec.
 */
export class ResolvedOptions {
  private readonly parsed = new Map<string, unknown>();

  constructor(
    private readonly raw: ReadonlyMap<string, RawOption>,
    specs: readonly OptionSpec<unknown>[],
  ) {
    const problems: ConfigError[] = [];
    for (const spec of specs) {
      if (this.parsed.has(spec.key)) continue;
      const given = raw.get(spec.key);
      const text = given?.value ?? spec.defaultValue;
      if (text === undefined) {
        if (spec.required) problems.push(new ConfigError(`option ${spec.key} is required: ${spec.description}`, spec.key));
        continue;
      }
      try {
        this.parsed.set(spec.key, spec.parse(text));
      } catch (e) {
        const where = given ? ` (from ${given.source})` : ' (default)';
        problems.push(new ConfigError(`bad value for ${spec.key}${where}: ${(e as Error).message}`, spec.key));
      }
    }
    if (problems.length > 0) throw joinProblems(problems);
  }

  /** The parsed value of a declared option (its default when not given). Throws for an undeclared or unset key. */
  get<T>(spec: OptionSpec<T>): T {
    if (!this.parsed.has(spec.key)) {
      if (this.raw.has(spec.key) || spec.defaultValue !== undefined) return spec.parse(this.raw.get(spec.key)?.value ?? spec.defaultValue!);
      throw new ConfigError(`option ${spec.key} is not set`, spec.key);
    }
    return this.parsed.get(spec.key) as T;
  }

  /** The parsed value, or undefined when the option has no value and no default. */
  maybe<T>(spec: OptionSpec<T>): T | undefined {
    return this.parsed.has(spec.key) || this.raw.has(spec.key) ? this.get(spec) : undefined;
  }

  /** The raw string given for a key (command line or file), if any. */
  rawValue(key: string): string | undefined {
    return this.raw.get(key)?.value;
  }

  /** Every raw value, for re-exec (worker processes get the same options) and diagnostics. */
  rawEntries(): RawOption[] {
    return [...this.raw.values()];
  }
}

function joinProblems(problems: ConfigError[]): ConfigError {
  if (problems.length === 1) return problems[0]!;
  return new ConfigError(problems.map((p) => p.message).join('\n'), problems[0]!.key);
}

/**
 * Checks the given keys against the declared specs and builds {@link ResolvedOptions}.
 *
 * A key that no loaded package declares stops startup, with a "did you mean" when a declared key is
 * close, unless it starts with one of `foreignPrefixes` (keys of plugins this process did not load,
 * which the shared config file may hold: a POP3 setting read by the IMAP service). A foreign-prefixed
 * key given on the command line is still an error: `-o` is meant for this process.
 */
export function validateOptions(
  raw: readonly RawOption[],
  specs: readonly OptionSpec<unknown>[],
  foreignPrefixes: readonly string[] = [],
): ResolvedOptions {
  const byKey = new Map<string, RawOption>();
  for (const r of raw) byKey.set(r.key, r); // later entries (command line) override earlier ones (file)
  const known = new Set(specs.map((s) => s.key));
  const problems: ConfigError[] = [];
  for (const r of byKey.values()) {
    if (known.has(r.key)) continue;
    // A prefix `listen_` also covers the bare key `listen` of the same plugin.
    if (r.source !== 'command line' && foreignPrefixes.some((p) => r.key.startsWith(p) || `${r.key}_` === p)) continue;
    problems.push(new ConfigError(`unknown option ${r.key} (from ${r.source})${didYouMean(r.key, [...known])}`, r.key));
  }
  if (problems.length > 0) throw joinProblems(problems);
  return new ResolvedOptions(byKey, specs);
}

/** ` (did you mean "x"?)` when a candidate is close enough, else empty. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  const { closest, distance } = spelling();
  const near = closest(word, [...candidates]);
  const limit = Math.max(2, Math.floor(word.length / 4));
  return distance(word, near) <= limit ? ` (did you mean "${near}"?)` : '';
}
