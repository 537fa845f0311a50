/**
 * Finds the light `greeting` subpath of the login plugin named by `dscm_service`, resolved the way
 * the plugin loader resolves the plugin itself (same name rules, same search folders), so the early
 * greeting and the service loaded later come from the same installed package.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PLUGIN_API_VERSION } from '../contracts/plugin-manifest.js';
import type { Greeter } from '../contracts/greeter.js';
import { normalizePluginName, type PluginSearch } from '../plugin-loader.js';

/** The subpath a login plugin exports its {@link Greeter} under. */
export const GREETING_SUBPATH = 'greeting';

/**
 * The plugin's {@link Greeter}, or undefined when it has none (a path-named plugin, a package without
 * the subpath, or one that does not load): the forker then greets through the full service.
 */
export async function findGreeter(serviceName: string, search: PluginSearch): Promise<Greeter | undefined> {
  if (!serviceName.trim()) return undefined;
  const { specifier, isPath } = normalizePluginName(serviceName, search.cwd);
  if (isPath) return undefined;
  for (const base of search.from) {
    const req = createRequire(join(base, 'noop.js'));
    try {
      req.resolve(specifier);
    } catch {
      continue; // not installed from here: the next folder, as the plugin loader does
    }
    try {
      const mod = (await import(pathToFileURL(req.resolve(`${specifier}/${GREETING_SUBPATH}`)).href)) as { default?: Partial<Greeter> };
      const g = mod.default;
      return g && g.apiVersion === PLUGIN_API_VERSION && typeof g.greet === 'function' ? (g as Greeter) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
