/**
 * Startup under inetd: silence stderr (it is a socket, §2.2), find the mode from fd 0, open the log
 * file while still root, build the application through core's createApplication (everything by name),
 * drop the effective uid, then serve. Nothing else is loaded before the greeting: no TLS files unless
 * inetd_implicit_tls, no database round trip in nowait mode (the database is reached at the first
 * login; a SQLite file must then be readable and writable by inetd_user, see README).
 */
import { openSync } from 'node:fs';
import {
  CORE_OPTIONS,
  ConfigError,
  connectionFactoryFromOptions,
  createApplication,
  createLogger,
  describeError,
  readRawOptions,
  silentLogger,
  socketFromDescriptor,
  type Application,
  type Logger,
} from '@pigeondeliver/core';
import { INETD_OPTIONS, INETD_OPTION_SPECS } from './inetd-options.js';
import { inetdSettingsOf, InetdService } from './inetd-service.js';
import { PROGRAM } from './program-name.js';
import { quietStderr, setQuietLogger } from './quiet-stderr.js';
import { DescriptorKind, descriptorKind } from './socket-state.js';

/** Backend stderr values that would write into a socket inetd gave us. */
const UNSAFE_BACKEND_STDERR = 'inherit';

/** Runs the process until it exits on its own. */
export async function runInetd(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  quietStderr();
  let logger: Logger = silentLogger();
  let app: Application | undefined;
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
    const raw = (key: string): string | undefined => pre.raw.filter((r) => r.key === key).at(-1)?.value;
    const logFile = (raw(INETD_OPTIONS.logFile.key) ?? '').trim();
    const level = CORE_OPTIONS.logLevel.parse(raw(CORE_OPTIONS.logLevel.key) ?? CORE_OPTIONS.logLevel.defaultValue!);
    if (logFile) {
      let fd: number;
      try {
        fd = openSync(logFile, 'a', 0o640);
      } catch (e) {
        throw new ConfigError(`inetd_log_file: cannot open ${logFile}: ${(e as Error).message}`, 'inetd_log_file');
      }
      logger = createLogger({ level, name: PROGRAM, fd });
    }
    setQuietLogger(logger);
    const stderrMode = raw(CORE_OPTIONS.backendStderr.key);
    if (stderrMode === UNSAFE_BACKEND_STDERR) {
      throw new ConfigError('backend_stderr=inherit would write the backend\'s stderr into inetd\'s socket; use log or ignore', 'backend_stderr');
    }
    // The backend outlives a nowait process, so no pipe to us by default.
    if (stderrMode === undefined) appArgv = [...appArgv, '-o', `${CORE_OPTIONS.backendStderr.key}=ignore`];

    app = await createApplication({ argv: appArgv, env, program: PROGRAM, extraOptions: INETD_OPTION_SPECS, login: true, logger });
    const settings = inetdSettingsOf(app);
    const factory = connectionFactoryFromOptions(app.options, logger, {
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
      const socket = socketFromDescriptor(0);
      service.dropPrivileges();
      service.runNowait(socket);
    }
  } catch (e) {
    const { message, exitCode } = describeError(PROGRAM, e);
    logger.fatal(message);
    exit(exitCode === 0 ? 1 : exitCode);
  }
}
