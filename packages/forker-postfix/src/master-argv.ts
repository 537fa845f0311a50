/**
 * The argv the Postfix master builds from a master.cf line (forker-protocols.md §1.2, Postfix
 * `master_ent.c`): `-l` (maxproc 1), `-z` (maxproc 0), `-n NAME`, `-t TYPE`, `-d`, `-v`, `-u`, `-c`,
 * `-o stress=…`, `-s N`, then the rest of the command field verbatim. Parsed getopt(3)-style with the
 * letters of Postfix's own `single_server.c` (`cdDi:lm:n:o:r:s:St:uvVz`), except that `-o` pairs are
 * accepted in any position: `postconf -P` inserts them before positional words. Positional words of
 * the form `key=value` (they survive `postconf -M` rewriting, §1.2) count as `-o key=value`.
 *
 * Note `-c` here is Postfix's chroot flag, not a config file: the config file comes from
 * PIGEONDELIVER_CONFIG (master passes it when main.cf lists it in import_environment, or the
 * wrapper written by `--install --config` sets it) or the default path.
 */
import { ConfigError } from '@pigeondeliver/core/early';

/** One `-o` setting, in command-line order. */
export interface MasterSetting {
  readonly key: string;
  readonly value: string;
}

/** What the master told us on the command line. */
export interface MasterArguments {
  /** `-n`: the service name (first master.cf field), when it differs from the command's name. */
  readonly serviceName?: string;
  /** `-t`: inet, unix, unix-dgram, fifo or pass. */
  readonly transport?: string;
  /** `-s`: number of listen sockets from fd 6 on (1 without `-s`). */
  readonly socketCount: number;
  /** Flag letters seen: l, z, d, v, u, c (and D, S, V when run by hand). */
  readonly flags: ReadonlySet<string>;
  /** `-o` settings and positional `key=value` words, in order (later wins). */
  readonly settings: readonly MasterSetting[];
}

const WITH_ARGUMENT = new Set(['i', 'm', 'n', 'o', 'r', 's', 't']);
const FLAGS = new Set(['c', 'd', 'D', 'l', 'S', 'u', 'v', 'V', 'z']);

/** Parses `argv` (without node and script). ConfigError for an unknown flag, a missing value or a stray word. */
export function parseMasterArgv(argv: readonly string[]): MasterArguments {
  const flags = new Set<string>();
  const settings: MasterSetting[] = [];
  let serviceName: string | undefined;
  let transport: string | undefined;
  let socketCount = 1;
  let onlyPositional = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!onlyPositional && word === '--') {
      onlyPositional = true;
      continue;
    }
    if (onlyPositional || !word.startsWith('-') || word === '-') {
      settings.push(positional(word));
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const letter = word[j]!;
      if (FLAGS.has(letter)) {
        flags.add(letter);
        continue;
      }
      if (!WITH_ARGUMENT.has(letter)) throw new ConfigError(`unknown flag -${letter} (the Postfix master passes -l -z -n -t -d -v -u -c -o -s)`);
      const value = j + 1 < word.length ? word.slice(j + 1) : argv[++i];
      if (value === undefined) throw new ConfigError(`flag -${letter} needs a value`);
      if (letter === 'n') serviceName = value;
      else if (letter === 't') transport = value;
      else if (letter === 's') socketCount = socketCountOf(value);
      else if (letter === 'o') settings.push(assignment(value, '-o'));
      // -i, -m, -r: Postfix daemon options master never passes; accepted and ignored like single_server.c.
      break;
    }
  }
  if (flags.has('S')) throw new ConfigError('-S (one client on stdin) is not supported: use pd-forker-stdio');
  return { serviceName, transport, socketCount, flags, settings };
}

function socketCountOf(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1000) throw new ConfigError(`-s expects a socket count, got "${value}"`);
  return Number(value);
}

function positional(word: string): MasterSetting {
  if (!word.includes('=')) {
    throw new ConfigError(`unexpected argument "${word}": give settings as -o key=value (or key=value) in master.cf`);
  }
  return assignment(word, 'argument');
}

/** `key=value`; `{ key = value }` arrives from master.cf as `key = value` (§1.2), so both sides are trimmed. */
function assignment(text: string, what: string): MasterSetting {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new ConfigError(`${what} expects key=value, got "${text}"`);
  return { key, value: text.slice(eq + 1).trim() };
}

/** The settings as `-o key=value` arguments for core's createApplication. */
export function settingsToArgv(settings: readonly MasterSetting[]): string[] {
  return settings.flatMap((s) => ['-o', `${s.key}=${s.value}`]);
}
