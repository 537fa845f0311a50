/**
 * Startup under inetd: silence stderr (it is a socket, §2.2), find the mode from fd 0, open the log
 * file while still root, and in nowait mode greet first (docs/architecture.md "Greeting first"): the
 * login service's greeting is written from raw options before the application is loaded, and the
 * client's input waits in the socket until the service reads it. Then build the application through
 * core's createApplication (everything by name), drop the effective uid, then serve. Nothing else is
 * loaded before the greeting: no TLS files unless inetd_implicit_tls (whose handshake comes before
 * the greeting and after the uid switch, so those launches greet through the full service), no
 * database round trip in nowait mode (the database is reached at the first login; a SQLite file must
 * then be readable and writable by inetd_user, see README).
 */
import { openSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Application, EarlyGreeting, Logger } from '@pigeondeliver/core';
import {
  CORE_OPTIONS,
  ConfigError,
  describeError,
  earlyGreeting,
  trustedEarly,
  pendingLogger,
  rawLookup,
  rawOptionValue,
  readRawOptions,
  sayUnavailable,
  socketFromDescriptor,
  writeLine,
} from '@pigeondeliver/core/early';
import { INETD_OPTIONS, INETD_OPTION_SPECS } from './inetd-options.js';
import { PROGRAM } from './program-name.js';
import { quietStderr, setQuietLogger } from './quiet-stderr.js';
import { DescriptorKind, descriptorKind } from './socket-state.js';

/** Backend stderr values that would write into a socket inetd gave us. */
const UNSAFE_BACKEND_STDERR = 'inherit';

/** Runs the process until it exits on its own. */
export async function runInetd(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  quietStderr();
  let logger: Logger = pendingLogger();
  let logFd: number | undefined;
  let logLevel = CORE_OPTIONS.logLevel.parse(CORE_OPTIONS.logLevel.defaultValue!);
  let logReady = false;
  let app: Application | undefined;
  let socket: Socket | undefined;
  let greeted: EarlyGreeting | undefined;
  let exiting = false;
  const exit = (code: number): void => {
    if (exiting) return;
    exiting = true;
    const t = setTimeout(() => process.exit(code), 1000);
    t.unref();
    void (app?.close().catch(() => undefined) ?? Promise.resolve()).finally(() => process.exit(code));
  };
  try {
    const kind = descriptorKind(0);
    if (kind === DescriptorKind.NotSocket) {
      throw new ConfigError('standard input is not a socket: pd-forker-inetd runs from inetd.conf (for a terminal or pipe use pd-forker-stdio)');
    }
    const wait = kind === DescriptorKind.Listening;

    let appArgv = [...argv];
    const pre = readRawOptions(appArgv, env);
    const lookup = rawLookup(pre.raw);
    const logFile = (lookup(INETD_OPTIONS.logFile.key) ?? '').trim();
    logLevel = CORE_OPTIONS.logLevel.parse(lookup(CORE_OPTIONS.logLevel.key) ?? logLevel);
    if (logFile) {
      try {
        logFd = openSync(logFile, 'a', 0o640);
      } catch (e) {
        throw new ConfigError(`inetd_log_file: cannot open ${logFile}: ${(e as Error).message}`, 'inetd_log_file');
      }
    }
    const stderrMode = lookup(CORE_OPTIONS.backendStderr.key);
    if (stderrMode === UNSAFE_BACKEND_STDERR) {
      throw new ConfigError('backend_stderr=inherit would write the backend\'s stderr into inetd\'s socket; use log or ignore', 'backend_stderr');
    }
    // The backend outlives a nowait process, so no pipe to us by default.
    if (stderrMode === undefined) appArgv = [...appArgv, '-o', `${CORE_OPTIONS.backendStderr.key}=ignore`];

    if (!wait && !rawOptionValue(lookup, INETD_OPTIONS.implicitTls)) {
      socket = socketFromDescriptor(0);
      socket.on('error', () => undefined);
      greeted = await earlyGreeting(pre, { secured: false, trusted: trustedEarly(lookup, socket) });
      if (greeted) writeLine(socket, greeted.line);
    }

    const core = await import('@pigeondeliver/core');
    logger = logFd !== undefined ? core.createLogger({ level: logLevel, name: PROGRAM, fd: logFd }) : core.silentLogger();
    logReady = true;
    setQuietLogger(logger);
    app = await core.createApplication({ argv: appArgv, env, program: PROGRAM, extraOptions: INETD_OPTION_SPECS, login: true, logger });
    const { inetdSettingsOf, InetdService } = await import('./inetd-service.js');
    const settings = inetdSettingsOf(app);
    const factory = core.connectionFactoryFromOptions(app.options, logger, {
      tls: settings.implicitTls ? 'required' : 'off',
      tlsRequiredBy: INETD_OPTIONS.implicitTls.key,
      handshakeTimeout: app.options.get(INETD_OPTIONS.handshakeTimeout),
      fields: { mode: wait ? 'wait' : 'nowait' },
    });
    const service = new InetdService({ app, factory, settings, log: logger.child({ mode: wait ? 'wait' : 'nowait' }), exit });
    if (wait) {
      // Long-lived: one database round trip while still root (also a startup check).
      await (app.database as { connect?: () => Promise<void> } | undefined)?.connect?.();
      service.dropPrivileges();
      await service.runWait(0);
    } else {
      socket ??= core.socketFromDescriptor(0);
      service.dropPrivileges();
      service.runNowait(socket, greeted);
    }
  } catch (e) {
    const { message, exitCode } = describeError(PROGRAM, e);
    if (greeted && socket) await sayUnavailable(socket, greeted);
    if (logFd !== undefined && !logReady) {
      // The error came before the logger existed: make it now, for the one clear line.
      const core = await import('@pigeondeliver/core').catch(() => undefined);
      if (core) logger = core.createLogger({ level: logLevel, name: PROGRAM, fd: logFd });
    }
    logger.fatal(message);
    exit(exitCode === 0 ? 1 : exitCode);
  }
}
