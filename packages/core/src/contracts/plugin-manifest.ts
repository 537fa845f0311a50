import type { DependencyContainer } from 'tsyringe';
import type { OptionSpec, ResolvedOptions } from '../options.js';

/** The kinds of plugin, one slot each in the options. */
export type PluginKind = 'login' | 'backend' | 'db' | 'forker';

/** The plugin API version this core speaks. Bumped on incompatible contract changes. */
export const PLUGIN_API_VERSION = 1;

/**
 * What every plugin package default-exports (Verdaccio's default-export convention). The loader
 * checks `apiVersion`, `kind` and `name` before calling `register`.
 */
export interface PluginManifest {
  readonly apiVersion: number;
  readonly kind: PluginKind;
  /** The plugin's short name, equal to its folder and the option value that selects it. */
  readonly name: string;
  /** The option keys this plugin reads (validated at startup, documented in docs/options.md). */
  readonly options?: readonly OptionSpec<unknown>[];
  /**
   * The key prefixes this plugin owns in the shared config file (`imap_`): keys with such a prefix
   * are validated only by a process that loaded the plugin.
   */
  readonly optionPrefixes?: readonly string[];
  /** Registers the plugin's services into the process's child container. */
  register(container: DependencyContainer, options: ResolvedOptions): void | Promise<void>;
}
