/**
 * The shared configuration file, Postfix `main.cf` style: `key = value`; lines whose first
 * non-blank character is `#` are comments; a line that starts with whitespace continues the
 * previous one (joined with one space); blank lines end nothing. `$name` and `${name}` expand to
 * another key's value (Postfix parameter expansion), `$$` is a literal dollar.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import type { RawOption } from './options.js';

/** The environment variable that names the config file when `-c` is not given. */
export const CONFIG_ENV = 'PIGEONDELIVER_CONFIG';
/** The config file read when neither `-c` nor {@link CONFIG_ENV} is given (skipped if absent). */
export const DEFAULT_CONFIG_PATH = '/etc/pigeondeliver/pigeondeliver.cf';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses config text; `name` is used in messages and as each value's source. */
export function parseConfigText(text: string, name: string): RawOption[] {
  const entries: { key: string; value: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    if (/^\s/.test(line)) {
      const last = entries.at(-1);
      if (!last) throw new ConfigError(`${name}:${i + 1}: continuation line with no setting before it`);
      last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new ConfigError(`${name}:${i + 1}: expected "key = value", got "${line.slice(0, 60)}"`);
    const key = line.slice(0, eq).trim();
    if (!KEY.test(key)) throw new ConfigError(`${name}:${i + 1}: "${key}" is not a valid option name`);
    entries.push({ key, value: line.slice(eq + 1).trim(), line: i + 1 });
  }
  const table = new Map(entries.map((e) => [e.key, e.value]));
  return entries.map((e) => ({ key: e.key, value: expand(e.value, table, `${name}:${e.line}`), source: `${name}:${e.line}` }));
}

/** Expands `$name`/`${name}` references against the file's own keys (bounded depth, no loops). */
function expand(value: string, table: ReadonlyMap<string, string>, where: string, depth = 0): string {
  if (depth > 10) throw new ConfigError(`${where}: parameter expansion nests too deep (a loop?)`);
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, braced?: string, bare?: string) => {
    if (m === '$$') return '$';
    const ref = (braced ?? bare)!;
    const v = table.get(ref);
    if (v === undefined) throw new ConfigError(`${where}: $${ref} refers to a setting that is not in the file`, ref);
    return expand(v, table, where, depth + 1);
  });
}

/** Reads a config file. `required` makes a missing file an error (given with -c or the env variable). */
export function readConfigFile(path: string, required: boolean): RawOption[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' && !required) return [];
    throw new ConfigError(`cannot read config file ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  return parseConfigText(text, path);
}
