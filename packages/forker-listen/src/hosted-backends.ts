/**
 * Backends the primary hosts itself: only for Dovecot handoff mode (`dovecot_mode=handoff`), which needs
 * one auth-master per Dovecot service, in a long-lived root process (decision 0007 §4). The workers
 * delegate each hand-off with the socket over IPC; `DovecotBackend.startDelegated` does it here.
 */
import type { Socket } from 'node:net';
import { CORE_OPTION_SPECS, createApplication, parseCommandLine, type Application, type Logger, type ISessionLauncher } from '@pigeondeliver/core';
import { LISTEN_OPTION_SPECS } from './listen-options.js';
import type { PrimaryConfig } from './primary-options.js';
import { PROGRAM } from './program-name.js';

/** A backend that takes delegated privileged work (backend-dovecot's `startDelegated`). */
export interface DelegatingBackend {
  startDelegated(payload: Readonly<Record<string, unknown>>, socket: Socket): Promise<Readonly<Record<string, unknown>>>;
  /** Registers a hand-off the worker with pid `senderPid` sends itself (decision 0007 §5). */
  registerDelegated(payload: Readonly<Record<string, unknown>>, senderPid: number): void;
}

/** Option prefixes of the backend plugins: their `-o` settings reach the hosted backends. */
const BACKEND_PREFIXES = ['dovecot_', 'courier_', 'proxy_'];

/**
 * The command line for the hosted backends: `-c` and the `-o` settings of core, the daemon and the
 * backends. Other `-o` keys (login services, database plugins) are not loaded here and would be
 * "unknown"; the workers validate them.
 */
export function hostedArgv(argv: readonly string[]): string[] {
  const cmd = parseCommandLine(argv);
  const known = new Set([...CORE_OPTION_SPECS, ...LISTEN_OPTION_SPECS].map((s) => s.key));
  const out: string[] = cmd.configFile !== undefined ? ['-c', cmd.configFile] : [];
  for (const o of cmd.overrides) {
    if (known.has(o.key) || BACKEND_PREFIXES.some((p) => o.key.startsWith(p))) out.push('-o', `${o.key}=${o.value}`);
  }
  return out;
}

/**
 * The programs the primary may start for the workers: every `launchCommands()` of the configured
 * backends (the hosted application's, or those of a backends-only application built and closed here).
 * `commands` is undefined when a backend (named in `undeclared`) does not declare its commands: then
 * nothing can be restricted, and the caller warns once it started. A worker is less trusted than the
 * primary (it parses client input): without this list a compromised worker could ask the primary to
 * run any program as a mail uid.
 */
export async function launchAllowList(
  argv: readonly string[],
  logger: Logger,
  launcher: ISessionLauncher,
  hosted: Application | undefined,
): Promise<{ readonly commands?: ReadonlySet<string>; readonly undeclared: readonly string[] }> {
  const app =
    hosted ??
    (await createApplication({ argv: hostedArgv(argv), program: PROGRAM, extraOptions: LISTEN_OPTION_SPECS, login: false, database: false, backends: true, logger, launcher }));
  try {
    const allowed = new Set<string>();
    const undeclared: string[] = [];
    for (const name of app.backends?.names() ?? []) {
      const backend = app.backends!.forName(name) as { launchCommands?: () => readonly string[] };
      if (typeof backend.launchCommands !== 'function') undeclared.push(name);
      else for (const command of backend.launchCommands()) allowed.add(command);
    }
    return undeclared.length > 0 ? { undeclared } : { commands: allowed, undeclared };
  } finally {
    if (app !== hosted) await app.close();
  }
}

/** Builds the hosted backends when the configuration needs them and waits for their start-up checks. */
export async function hostBackends(argv: readonly string[], config: PrimaryConfig, logger: Logger, launcher: ISessionLauncher): Promise<Application | undefined> {
  if ((config.value('dovecot_mode') ?? '').trim() !== 'handoff') return undefined;
  const app = await createApplication({
    argv: hostedArgv(argv),
    program: PROGRAM,
    extraOptions: LISTEN_OPTION_SPECS,
    login: false,
    database: false,
    backends: true,
    logger,
    launcher,
  });
  for (const name of app.backends?.names() ?? []) {
    const backend = app.backends!.forName(name) as { ready?: () => Promise<unknown> };
    if (typeof backend.ready === 'function') await backend.ready();
  }
  return app;
}
