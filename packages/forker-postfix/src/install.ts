/**
 * `pd-forker-postfix --install`: the Postfix master runs a master.cf command only from
 * `daemon_directory` (an absolute command path becomes `daemon_directory//abs/path`), and with no
 * PATH, so `#!/usr/bin/env node` finds only a node in /bin or /usr/bin (forker-protocols.md §1.3,
 * §1.5). This writes a small wrapper there: a real file (a symlink makes `postfix check` warn
 * "symlink leaves directory"), owned by the installing user (root), mode 0755, whose shebang is the
 * absolute path of the node running the installer, and which imports this package's `bin.js` by
 * absolute path. With `--config FILE` it also sets PIGEONDELIVER_CONFIG (master passes no
 * environment beyond `import_environment`, and `-c` in argv is Postfix's chroot flag).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@pigeondeliver/core/early';

/** What to install. */
export interface InstallSettings {
  /** Target directory; default: `postconf -h daemon_directory`. */
  readonly daemonDirectory?: string;
  /** Config file baked into the wrapper (PIGEONDELIVER_CONFIG), if any. */
  readonly config?: string;
  /** File name in daemon_directory, used as the master.cf command (default pd-forker-postfix). */
  readonly name: string;
  /** Interpreter for the shebang (default: this node, `process.execPath`). */
  readonly node: string;
  /** The bin.js to run (default: this package's). */
  readonly entry: string;
}

/** Parses `--daemon-directory DIR`, `--config FILE`, `--name NAME`, `--node PATH` (also `--x=value`). */
export function parseInstallArgv(argv: readonly string[]): InstallSettings {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--(daemon-directory|config|name|node)(?:=(.*))?$/.exec(arg);
    if (!m) throw new ConfigError(`--install: unknown argument "${arg}" (expected --daemon-directory DIR, --config FILE, --name NAME, --node PATH)`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new ConfigError(`--install: --${m[1]} needs a value`);
    values[m[1]!] = value;
  }
  const name = values.name ?? 'pd-forker-postfix';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new ConfigError(`--install: --name "${name}" must be a plain file name`);
  for (const k of ['daemon-directory', 'config', 'node'] as const) {
    if (values[k] !== undefined && !isAbsolute(values[k]!)) throw new ConfigError(`--install: --${k} must be an absolute path, got "${values[k]}"`);
  }
  return {
    daemonDirectory: values['daemon-directory'],
    config: values.config,
    name,
    node: values.node ?? process.execPath,
    entry: resolve(dirname(fileURLToPath(import.meta.url)), 'bin.js'),
  };
}

/** Postfix's daemon_directory: `postconf -h daemon_directory`, else the compiled-in default (`postconf -dh`). */
export function postfixDaemonDirectory(postconf = '/usr/sbin/postconf'): string {
  for (const args of [['-h', 'daemon_directory'], ['-dh', 'daemon_directory']]) {
    try {
      const out = execFileSync(postconf, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (out && isAbsolute(out)) return out;
    } catch {
      /* no main.cf yet: try the default */
    }
  }
  throw new ConfigError(`cannot find Postfix's daemon_directory with ${postconf}; give --daemon-directory DIR`);
}

/** The wrapper's text (CommonJS: a file without extension outside any package.json scope). */
export function wrapperText(s: Pick<InstallSettings, 'node' | 'entry' | 'config'>): string {
  const lines = [
    `#!${s.node}`,
    '// Written by `pd-forker-postfix --install`: the Postfix master runs commands from daemon_directory only,',
    '// without PATH, so this file names node and pd-forker-postfix by absolute path. Regenerate, do not edit.',
    "'use strict';",
  ];
  if (s.config) lines.push(`if (!process.env.PIGEONDELIVER_CONFIG) process.env.PIGEONDELIVER_CONFIG = ${JSON.stringify(s.config)};`);
  lines.push(
    `import(require('node:url').pathToFileURL(${JSON.stringify(s.entry)}).href).catch((e) => {`,
    "  process.stderr.write('pd-forker-postfix wrapper: ' + (e && e.message ? e.message : String(e)) + '\\n');",
    '  process.exit(78);',
    '});',
    '',
  );
  return lines.join('\n');
}

/** Writes the wrapper atomically (temp file + rename); returns its path. */
export function installWrapper(s: InstallSettings): string {
  const dir = s.daemonDirectory ?? postfixDaemonDirectory();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError(`--install: ${dir} is not a directory`);
  if (!existsSync(s.node)) throw new ConfigError(`--install: node interpreter ${s.node} does not exist`);
  if (!existsSync(s.entry)) throw new ConfigError(`--install: ${s.entry} does not exist (build the package first)`);
  const target = join(dir, s.name);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.tmp`);
  writeFileSync(tmp, wrapperText(s), { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, target);
  return target;
}
