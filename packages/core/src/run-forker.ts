/**
 * The composition root every forker (and pd-admin) calls: reads the command line and the shared
 * config file, loads the selected plugins by name, validates every option, builds one child tsyringe
 * container for the process and resolves the services. `container.resolve` appears here and in tests
 * only.
 */
import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { readRawOptions } from './raw-options.js';
import { CORE_OPTIONS, CORE_OPTION_SPECS, STANDARD_PLUGIN_PREFIXES } from './core-options.js';
import { BackendRegistry } from './backend-registry.js';
import { Lifecycle, registerValue, resolve } from './di.js';
import { LocalSessionLauncher } from './launch/local-session-launcher.js';
import { ConfigError, PluginLoadError, PluginLoadFailure } from './errors.js';
import { limitsFromOptions, type Limits } from './limits.js';
import { createLogger, type Logger } from './logging.js';
import { splitList, validateOptions, type OptionSpec, type RawOption, type ResolvedOptions } from './options.js';
import { defaultPluginSearch, loadPlugin } from './plugin-loader.js';
import type { PluginManifest } from './contracts/plugin-manifest.js';
import {
  IBackend,
  IBackendRegistry,
  IDatabase,
  ILimits,
  ILogger,
  ILoginService,
  INodeRepository,
  IOptions,
  ISessionLauncher,
  IUserRepository,
} from './tokens.js';

/** What the caller needs from the application. */
export interface ApplicationSettings {
  /** Arguments after the program name. `-o`/`-c` are consumed; the rest is returned in `rest`. */
  readonly argv: readonly string[];
  /** Program name for logs and messages (`pd-forker-listen`). */
  readonly program: string;
  /** Options the caller itself reads (forker flags), validated with the rest. */
  readonly extraOptions?: readonly OptionSpec<unknown>[];
  /** Load the login service named by dscm_service (forkers: yes; pd-admin: no). */
  readonly login?: boolean;
  /** Load and connect the database (default yes). */
  readonly database?: boolean;
  /** Load the backends (default: same as `login`). */
  readonly backends?: boolean;
  /** Environment (for the config variable); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Logger to use instead of creating one (tests). */
  readonly logger?: Logger;
  /**
   * How backends start processes as the user. Default: in this process (one-process launches). The
   * daemon's workers pass a launcher that asks the privileged parent.
   */
  readonly launcher?: ISessionLauncher;
}

/** A wired process. */
export interface Application {
  readonly options: ResolvedOptions;
  readonly limits: Limits;
  readonly logger: Logger;
  readonly container: DependencyContainer;
  /** The config file that was read, if any. */
  readonly configFile?: string;
  /** Command-line arguments that were not -o/-c. */
  readonly rest: string[];
  readonly loginService?: ILoginService;
  readonly database?: IDatabase;
  readonly backends?: IBackendRegistry;
  /** Closes backends and the database. */
  close(): Promise<void>;
}

function rawValue(raw: readonly RawOption[], spec: OptionSpec<unknown>): string {
  let v: string | undefined;
  for (const r of raw) if (r.key === spec.key) v = r.value;
  return (v ?? spec.defaultValue ?? '').trim();
}

/** Builds the application: plugins loaded by name, options validated, container wired. */
export async function createApplication(settings: ApplicationSettings): Promise<Application> {
  const { raw, configFile, rest } = readRawOptions(settings.argv, settings.env);
  const wantLogin = settings.login ?? false;
  const wantDatabase = settings.database ?? true;
  const wantBackends = settings.backends ?? wantLogin;
  const search = defaultPluginSearch(splitList(rawValue(raw, CORE_OPTIONS.pluginPath)), configFile);

  const serviceName = rawValue(raw, CORE_OPTIONS.service);
  if (wantLogin && !serviceName) {
    throw new ConfigError('option dscm_service is required: name the login service, e.g. -o dscm_service=login-imap', 'dscm_service');
  }
  const loginManifest = wantLogin ? await loadPlugin(serviceName, 'login', search) : undefined;
  const dbManifest = wantDatabase ? await loadPlugin(rawValue(raw, CORE_OPTIONS.database), 'db', search) : undefined;
  const defaultBackend = rawValue(raw, CORE_OPTIONS.backend);
  const backendNames = wantBackends
    ? [...new Set([defaultBackend, ...splitList(rawValue(raw, CORE_OPTIONS.backends))])]
    : [];
  const backendManifests: PluginManifest[] = [];
  for (const name of backendNames) backendManifests.push(await loadPlugin(name, 'backend', search));

  const loaded = [loginManifest, dbManifest, ...backendManifests].filter((m): m is PluginManifest => m !== undefined);
  const specs = [...CORE_OPTION_SPECS, ...(settings.extraOptions ?? []), ...loaded.flatMap((m) => m.options ?? [])];
  const ownPrefixes = new Set(loaded.flatMap((m) => m.optionPrefixes ?? []));
  const foreign = STANDARD_PLUGIN_PREFIXES.filter((p) => !ownPrefixes.has(p));
  const options = validateOptions(raw, dedupeSpecs(specs), foreign);
  const limits = limitsFromOptions(options);
  const logger = settings.logger ?? createLogger({ level: options.get(CORE_OPTIONS.logLevel), name: settings.program });

  const container = rootContainer.createChildContainer();
  registerValue(container, IOptions, options);
  registerValue(container, ILimits, limits);
  registerValue(container, ILogger, logger);

  let database: IDatabase | undefined;
  if (dbManifest) {
    database = await registerPlugin(dbManifest, container, options, () => resolve(container, IDatabase), 'IDatabase');
    registerValue(container, IUserRepository, database.users);
    registerValue(container, INodeRepository, database.nodes);
  }

  let backends: BackendRegistry | undefined;
  if (wantBackends) {
    if (settings.launcher) registerValue(container, ISessionLauncher, settings.launcher);
    else container.register(ISessionLauncher, { useClass: LocalSessionLauncher }, { lifecycle: Lifecycle.Singleton });
    // Keyed by manifest name (what user rows say), so a default given as a path or full package name still matches.
    backends = new BackendRegistry(backendManifests[0]?.name ?? defaultBackend);
    for (const manifest of backendManifests) {
      const child = container.createChildContainer();
      backends.add(manifest.name, await registerPlugin(manifest, child, options, () => resolve(child, IBackend), 'IBackend'));
    }
    registerValue(container, IBackendRegistry, backends);
  }

  let loginService: ILoginService | undefined;
  if (loginManifest) {
    loginService = await registerPlugin(loginManifest, container, options, () => resolve(container, ILoginService), 'ILoginService');
  }

  return {
    options,
    limits,
    logger,
    container,
    configFile,
    rest,
    loginService,
    database,
    backends,
    async close() {
      for (const name of backends?.names() ?? []) await backends!.forName(name).close?.();
      await database?.close();
    },
  };
}

/**
 * Runs a plugin's register() and resolves the service it must provide; either failing is a
 * {@link PluginLoadFailure.RegisterFailed} that names the plugin (fail fast, code-style §1.4 step 6).
 */
async function registerPlugin<T>(
  manifest: PluginManifest,
  container: DependencyContainer,
  options: ResolvedOptions,
  provided: () => T,
  tokenName: string,
): Promise<T> {
  try {
    await manifest.register(container, options);
  } catch (e) {
    throw new PluginLoadError(
      PluginLoadFailure.RegisterFailed,
      manifest.name,
      `${manifest.kind} plugin ${manifest.name} failed in register(): ${(e as Error)?.message ?? String(e)}`,
      { cause: e },
    );
  }
  try {
    return provided();
  } catch (e) {
    throw new PluginLoadError(
      PluginLoadFailure.RegisterFailed,
      manifest.name,
      `${manifest.kind} plugin ${manifest.name} did not register a usable ${tokenName}: ${(e as Error)?.message ?? String(e)}`,
      { cause: e },
    );
  }
}

/** Same key declared twice (two plugins share login-common): keep the first. */
function dedupeSpecs(specs: readonly OptionSpec<unknown>[]): OptionSpec<unknown>[] {
  const seen = new Map<string, OptionSpec<unknown>>();
  for (const s of specs) if (!seen.has(s.key)) seen.set(s.key, s);
  return [...seen.values()];
}
