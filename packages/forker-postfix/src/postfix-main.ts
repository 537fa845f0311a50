/**
 * Startup of a process run by the Postfix master: check that master started us (GENERATION, fd 5,
 * fd 6…), start the postlog helper while still root; in the `single` model without implicit TLS,
 * greet first (accept the client, report to master, write the login service's greeting from raw
 * options: early-accept.ts); then build the application through core's createApplication
 * (everything loaded by name) and hand over to {@link PostfixChild}. Any startup
 * error is logged (fatal) and ends the process with a non-zero code, so that master throttles the
 * service instead of respawning it in a loop (forker-protocols.md §1.7).
 */
import type { Application } from '@pigeondeliver/core';
import {
  CORE_OPTIONS,
  describeError,
  earlyGreeting,
  trustedEarly,
  rawLookup,
  rawOptionValue,
  readRawOptions,
  sayUnavailable,
  writeLine,
  type EarlyGreeting,
} from '@pigeondeliver/core/early';
import type { Socket } from 'node:net';
import { acceptFirstClient } from './early-accept.js';
import { parseMasterArgv, settingsToArgv, type MasterSetting } from './master-argv.js';
import { MASTER_LISTEN_FD, MASTER_STATUS_FD, MasterStatusChannel, parseGeneration, requireSocketDescriptor } from './master-status.js';
import { BACKEND_STDERR_KEY, defaultBackendStderr, POSTFIX_OPTIONS, POSTFIX_OPTION_SPECS } from './postfix-options.js';
import { PostlogSink, postlogTag, StderrSink, type LogSink } from './postlog-sink.js';
import { PROGRAM } from './program-name.js';

function lastSetting(settings: readonly MasterSetting[], key: string): string | undefined {
  let v: string | undefined;
  for (const s of settings) if (s.key === key) v = s.value;
  return v;
}

/** Runs the process; never resolves before the process exits on its own terms. */
export async function runPostfixChild(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let sink: LogSink = new StderrSink();
  let app: Application | undefined;
  let socket: Socket | undefined;
  let greeted: EarlyGreeting | undefined;
  let exiting = false;
  const exit = (code: number): void => {
    if (exiting) return;
    exiting = true;
    const done = (): void => void sink.close().finally(() => process.exit(code));
    const closing = app?.close().catch(() => undefined) ?? Promise.resolve();
    const t = setTimeout(done, 1000);
    t.unref();
    void closing.finally(() => {
      clearTimeout(t);
      done();
    });
  };
  try {
    const master = parseMasterArgv(argv);
    // The log destination first, from the command line (master.cf), while we are still root.
    const postlog = lastSetting(master.settings, POSTFIX_OPTIONS.postlog.key) ?? POSTFIX_OPTIONS.postlog.defaultValue!;
    const service = lastSetting(master.settings, CORE_OPTIONS.service.key) ?? 'pigeondeliver';
    if (postlog) sink = new PostlogSink(postlog, postlogTag(lastSetting(master.settings, POSTFIX_OPTIONS.syslogName.key) ?? '', service, env));

    const generation = parseGeneration(env.GENERATION);
    requireSocketDescriptor(MASTER_STATUS_FD, 'the master status channel');
    for (let i = 0; i < master.socketCount; i++) requireSocketDescriptor(MASTER_LISTEN_FD + i, 'a listen socket from the master');

    let appArgv = settingsToArgv(master.settings);
    const pre = readRawOptions(appArgv, env);
    const lookup = rawLookup(pre.raw);
    const model = rawOptionValue(lookup, POSTFIX_OPTIONS.model);
    if (lookup(BACKEND_STDERR_KEY) === undefined) appArgv = [...appArgv, '-o', `${BACKEND_STDERR_KEY}=${defaultBackendStderr(model)}`];
    const level = rawOptionValue(lookup, CORE_OPTIONS.logLevel);
    const status = new MasterStatusChannel(generation);

    if (model === 'single' && !rawOptionValue(lookup, POSTFIX_OPTIONS.implicitTls) && master.socketCount > 0) {
      const accepted = await acceptFirstClient(
        { firstFd: MASTER_LISTEN_FD, count: master.socketCount, backlog: rawOptionValue(lookup, POSTFIX_OPTIONS.backlog), maxIdleMs: rawOptionValue(lookup, POSTFIX_OPTIONS.maxIdle) },
        status,
      );
      if (!accepted) return exit(0);
      socket = accepted;
      socket.on('error', () => undefined);
      greeted = await earlyGreeting(pre, { secured: false, trusted: trustedEarly(lookup, socket) });
      if (greeted) writeLine(socket, greeted.line);
    }

    const core = await import('@pigeondeliver/core');
    const logger = core.createLogger({ level, name: PROGRAM, destination: sink });
    app = await core.createApplication({ argv: appArgv, env, program: PROGRAM, extraOptions: POSTFIX_OPTION_SPECS, login: true, logger });
    const { childSettingsOf, PostfixChild } = await import('./postfix-child.js');
    const settings = childSettingsOf(app);
    const factory = core.connectionFactoryFromOptions(app.options, logger, {
      tls: settings.implicitTls ? 'required' : 'off',
      tlsRequiredBy: POSTFIX_OPTIONS.implicitTls.key,
      handshakeTimeout: app.options.get(POSTFIX_OPTIONS.handshakeTimeout),
      fields: master.serviceName ? { service: master.serviceName } : undefined,
    });
    const log = logger.child({ service: master.serviceName, generation });
    await new PostfixChild({ app, master, status, factory, settings, log, exit }).start(socket ? { socket, greeted } : undefined);
  } catch (e) {
    const { message, exitCode } = describeError(PROGRAM, e);
    if (greeted && socket) await sayUnavailable(socket, greeted);
    sink.write(JSON.stringify({ level: 60, pid: process.pid, msg: message }));
    // Non-zero before the first TAKEN/AVAIL pair: master logs "bad command startup -- throttling".
    exit(exitCode === 0 ? 1 : exitCode);
  }
}
