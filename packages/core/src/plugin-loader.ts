/**
 * Finds a plugin package by name, imports it and checks its manifest (code-style §1.4).
 *
 * Names: `login-imap` -> `@pigeondeliver/login-imap`; a scoped name (`@acme/pd-login-x`) as given; a
 * path (`./x`, `../x`, `/x`) loads that folder. Resolution starts at the user's side (extra
 * `plugin_path` folders, the config file's folder, the working directory) and then the program's own
 * install, so a plugin installed next to a deployment wins over a bundled one. Every failure stops
 * startup with a {@link PluginLoadError} that says what happened, where it looked and what to run.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PluginLoadError, PluginLoadFailure } from './errors.js';
import { PLUGIN_API_VERSION, type PluginKind, type PluginManifest } from './contracts/plugin-manifest.js';

/** Turns an option value into a package specifier or an absolute path (one pure function, ESLint-style). */
export function normalizePluginName(name: string, cwd: string = process.cwd()): { specifier: string; isPath: boolean } {
  const trimmed = name.trim();
  if (trimmed.startsWith('./') || trimmed.startsWith('../') || isAbsolute(trimmed)) {
    return { specifier: resolvePath(cwd, trimmed), isPath: true };
  }
  if (trimmed.startsWith('@')) return { specifier: trimmed, isPath: false };
  return { specifier: `@pigeondeliver/${trimmed}`, isPath: false };
}

/** Where to look, in order. */
export interface PluginSearch {
  /** Folders to resolve from, in order; each behaves like a project root (its node_modules is searched upwards). */
  readonly from: readonly string[];
  /** Working directory for relative plugin paths. */
  readonly cwd?: string;
}

/** The default search: plugin_path folders, config folder, cwd, then this core's own install. */
export function defaultPluginSearch(extra: readonly string[] = [], configFile?: string): PluginSearch {
  const from = [...extra];
  if (configFile) from.push(dirname(resolvePath(configFile)));
  from.push(process.cwd());
  if (process.argv[1]) from.push(dirname(process.argv[1]));
  from.push(dirname(fileURLToPath(import.meta.url)));
  return { from: [...new Set(from)], cwd: process.cwd() };
}

/** Imports and checks the plugin `name` for the slot `kind`. */
export async function loadPlugin(name: string, kind: PluginKind, search: PluginSearch): Promise<PluginManifest> {
  if (!name) throw new PluginLoadError(PluginLoadFailure.NotInstalled, name, `no ${kind} plugin named: set the option that selects it`);
  const { specifier, isPath } = normalizePluginName(name, search.cwd);
  const entry = isPath ? resolveFolder(name, specifier) : resolvePackage(name, specifier, kind, search.from);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(entry).href)) as { default?: unknown };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') {
      throw new PluginLoadError(PluginLoadFailure.DependencyMissing, name, dependencyMissingMessage(name, entry, specifier, isPath, err.message), {
        cause: e,
      });
    }
    throw new PluginLoadError(PluginLoadFailure.BadManifest, name, `plugin ${name} (${entry}) failed while loading: ${err.message}`, { cause: e });
  }
  return checkManifest(name, kind, entry, mod.default);
}

function resolveFolder(name: string, folder: string): string {
  const pkgFile = join(folder, 'package.json');
  if (!existsSync(pkgFile)) {
    throw new PluginLoadError(PluginLoadFailure.NotInstalled, name, `plugin ${name}: ${folder} is not a package folder (no package.json)`);
  }
  const req = createRequire(pkgFile);
  try {
    return req.resolve(folder);
  } catch (e) {
    throw new PluginLoadError(PluginLoadFailure.NotInstalled, name, `plugin ${name}: cannot find the entry point of ${folder} (is it built?): ${(e as Error).message}`, { cause: e });
  }
}

function resolvePackage(name: string, specifier: string, kind: PluginKind, from: readonly string[]): string {
  for (const base of from) {
    const req = createRequire(join(base, 'noop.js'));
    try {
      return req.resolve(specifier);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // The package folder exists but its entry does not resolve: not built or broken, say so.
      const folder = packageFolder(req, specifier);
      if (err.code !== 'MODULE_NOT_FOUND' || !/Cannot find module/.test(err.message) || folder) {
        throw new PluginLoadError(
          PluginLoadFailure.DependencyMissing,
          name,
          `plugin ${name} is installed${folder ? ` in ${folder}` : ''} (found from ${base}) but its entry point cannot be loaded (not built, or a broken install): ${err.message}\n` +
            `  reinstall it with: npm install ${specifier}`,
          { cause: e },
        );
      }
    }
  }
  throw new PluginLoadError(
    PluginLoadFailure.NotInstalled,
    name,
    `${kind} plugin ${name} is not installed (looked for ${specifier} from ${from.join(', ')})\n  install it with: npm install ${specifier}`,
  );
}

/** The installed folder of `specifier` as `req` would find it, or undefined when there is none. */
function packageFolder(req: NodeJS.Require, specifier: string): string | undefined {
  const paths = req.resolve.paths(specifier) ?? [];
  return paths.map((p) => join(p, specifier)).find((dir) => existsSync(join(dir, 'package.json')));
}

/**
 * Says which dependency of the plugin is missing (Node's message names it) and what to run: in the
 * plugin's folder for a plugin loaded by path, else reinstalling the plugin package (Verdaccio `tryLoad`).
 */
function dependencyMissingMessage(name: string, entry: string, specifier: string, isPath: boolean, detail: string): string {
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(detail)?.[1];
  const what = missing ? `its dependency ${missing} is not installed` : 'one of its own dependencies is missing';
  const fix = isPath
    ? `install its dependencies with: cd ${specifier} && npm install`
    : `reinstall it with: npm install ${specifier}${missing && !missing.startsWith('/') && !missing.startsWith('.') ? ` (or add the missing package: npm install ${missing})` : ''}`;
  return `plugin ${name} (${entry}) is installed but ${what}: ${detail}\n  ${fix}`;
}

function checkManifest(name: string, kind: PluginKind, entry: string, value: unknown): PluginManifest {
  const bad = (why: string, failure = PluginLoadFailure.BadManifest) =>
    new PluginLoadError(failure, name, `plugin ${name} (${entry}) ${why}`);
  if (typeof value !== 'object' || value === null) throw bad('does not default-export a plugin manifest');
  const m = value as Partial<PluginManifest>;
  if (typeof m.apiVersion !== 'number') throw bad('has no apiVersion in its manifest');
  if (m.apiVersion !== PLUGIN_API_VERSION) {
    throw bad(
      `speaks plugin API version ${m.apiVersion}, this core speaks ${PLUGIN_API_VERSION}: install a version of the plugin made for this release`,
      PluginLoadFailure.UnsupportedApiVersion,
    );
  }
  if (m.kind !== kind) throw bad(`is a ${String(m.kind)} plugin, but it was named where a ${kind} plugin is expected`, PluginLoadFailure.WrongKind);
  if (typeof m.register !== 'function') throw bad('has no register() function');
  const expected = expectedName(name);
  if (expected && m.name !== expected) throw bad(`calls itself "${String(m.name)}", expected "${expected}"`, PluginLoadFailure.WrongName);
  return m as PluginManifest;
}

/** The short name a `@pigeondeliver/<x>` package must declare; undefined for other scopes and paths. */
function expectedName(name: string): string | undefined {
  if (name.startsWith('@pigeondeliver/')) return name.slice('@pigeondeliver/'.length);
  if (name.startsWith('@') || name.startsWith('.') || name.startsWith('/')) return undefined;
  return name;
}

/** Reads a plugin package's version (for `--version` and logs). */
export function pluginVersion(entry: string): string | undefined {
  let dir = dirname(entry);
  for (let i = 0; i < 5; i++) {
    const f = join(dir, 'package.json');
    if (existsSync(f)) return (JSON.parse(readFileSync(f, 'utf8')) as { version?: string }).version;
    dir = dirname(dir);
  }
  return undefined;
}
