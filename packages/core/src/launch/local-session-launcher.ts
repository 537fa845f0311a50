/**
 * The in-process {@link ISessionLauncher}: used by one-process launches and by the daemon's
 * privileged parent. It checks the identity, creates the home, and spawns the backend as the user
 * with the client socket as stdin/stdout, then lets go of the socket.
 *
 * Detecting a backend that fails at once (missing library, bad mail location, Dovecot's `i_fatal`):
 * after `spawn` the launcher keeps its copy of the socket for `backend_exit_window` (default 50 ms)
 * and watches for an exit. An exit with a non-zero code or a signal inside the window is a
 * BackendError, with the socket untouched, so the login service can still answer `NO [UNAVAILABLE]`
 * / `-ERR [SYS/TEMP]`. The window costs no CPU and does not delay the client (the child answers it
 * directly); it only delays when `launch` resolves. A child that fails later, or that hangs without
 * answering, cannot be seen on a handed-off socket (nothing of ours is in the middle, by design);
 * relayed sessions are checked for an answer by the hand-off (see hand-off.ts).
 */
import { spawn, type ChildProcess, type SpawnOptions, type StdioOptions } from 'node:child_process';
import type { Socket } from 'node:net';
import { isAbsolute } from 'node:path';
import { CORE_OPTIONS } from '../core-options.js';
import { inject, injectable } from '../di.js';
import { BackendError } from '../errors.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logging.js';
import type { ResolvedOptions } from '../options.js';
import { ILimits, ILogger, IOptions } from '../tokens.js';
import type { ISessionLauncher, LaunchRequest, LaunchResult } from '../contracts/session-launcher.js';
import { ensureUserHome } from './home-directory.js';
import { withPrivileges } from './privileges.js';
import { detachSocketReader } from './socket-detach.js';
import { logStderrLines } from './stderr-lines.js';
import { openSharedStderr, type SharedStderr } from './shared-stderr.js';

/** What the launcher does with a child's stderr (option `backend_stderr`). */
export type StderrMode = 'shared' | 'log' | 'inherit' | 'ignore';

/** Settings of {@link LocalSessionLauncher}, from options. */
export interface LauncherSettings {
  readonly firstValidUid: number;
  readonly homeRoots: readonly string[];
  readonly exitWindow: number;
  readonly stderr: StderrMode;
}

/** Starts backend processes in this process, as the user. */
@injectable()
export class LocalSessionLauncher implements ISessionLauncher {
  private readonly settings: LauncherSettings;
  private shared?: SharedStderr;

  constructor(
    @inject(IOptions) options: ResolvedOptions,
    @inject(ILimits) limits: Limits,
    @inject(ILogger) private readonly logger: Logger,
  ) {
    this.settings = {
      firstValidUid: options.get(CORE_OPTIONS.firstValidUid),
      homeRoots: options.get(CORE_OPTIONS.homeRoots),
      exitWindow: Math.min(options.get(CORE_OPTIONS.backendExitWindow), limits.backendTimeout),
      stderr: options.get(CORE_OPTIONS.backendStderr),
    };
  }

  async launch(request: LaunchRequest, socket: Socket): Promise<LaunchResult> {
    const log = this.logger.child({ session: request.sessionId, backend: request.label });
    try {
      this.check(request, socket);
    } catch (e) {
      log.warn({ uid: request.uid, gid: request.gid, home: request.home.path, reason: (e as Error).message }, 'backend launch refused');
      throw e;
    }
    detachSocketReader(socket);

    let lastStderr = '';
    let child: ChildProcess;
    try {
      child = withPrivileges(() => {
        ensureUserHome({ path: request.home.path, maildir: request.home.maildir, uid: request.uid, gid: request.gid, roots: this.settings.homeRoots });
        return this.spawn(request, socket);
      });
    } catch (e) {
      const err = e instanceof BackendError ? e : new BackendError(`cannot prepare the session: ${(e as Error).message}`, { cause: e });
      log.warn({ uid: request.uid, gid: request.gid, home: request.home.path, reason: err.message }, 'backend launch refused');
      throw err;
    }
    if (child.stderr) logStderrLines(child.stderr, log, (line) => (lastStderr = line));

    await new Promise<void>((resolve, reject) => {
      child.once('error', (e) => reject(new BackendError(`cannot start ${request.command}: ${e.message}`, { cause: e })));
      child.once('spawn', () => resolve());
    }).catch((e: unknown) => {
      log.error({ err: (e as Error).message }, 'backend start failed');
      throw e;
    });

    const early = await this.watchEarlyExit(child);
    if (early && (early.code !== 0 || early.signal !== null)) {
      // Let the last stderr bytes arrive (the pipe closes right after the exit).
      if (child.stderr && !child.stderr.readableEnded) await new Promise((r) => child.stderr!.once('close', r));
      const how = early.signal ? `was killed by ${early.signal}` : `exited with code ${early.code}`;
      const msg = `${request.label} ${how} right after it started${lastStderr ? `: ${lastStderr}` : ''}`;
      log.error({ code: early.code, signal: early.signal }, msg);
      throw new BackendError(msg);
    }

    const pid = child.pid!;
    child.once('exit', (code, signal) => log.debug({ pid, code, signal }, 'backend exited'));
    child.unref();
    (child.stderr as (typeof child.stderr & { unref?: () => void }) | null)?.unref?.();
    // Our copy only: destroy() closes the descriptor; end() would shutdown(2) the child's copy too.
    socket.destroy();
    log.debug({ pid, uid: request.uid, gid: request.gid }, 'backend started');
    return { pid };
  }

  /** Throws BackendError for a request this process must not carry out. */
  private check(request: LaunchRequest, socket: Socket): void {
    const { uid, gid } = request;
    if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid < 0 || gid < 0) throw new BackendError(`invalid uid ${uid} / gid ${gid}`);
    if (uid === 0 || gid === 0) throw new BackendError('refusing to start a backend as uid 0 or gid 0');
    if (uid < this.settings.firstValidUid) {
      throw new BackendError(`refusing uid ${uid}: below first_valid_uid ${this.settings.firstValidUid}`);
    }
    if (process.getuid && process.getuid() !== 0) {
      if (uid !== process.getuid()) {
        throw new BackendError(`refusing uid ${uid}: this process is not root and can only start backends as its own uid ${process.getuid()}`);
      }
      const groups = [process.getgid?.(), ...(process.getgroups?.() ?? [])];
      if (!groups.includes(gid)) throw new BackendError(`refusing gid ${gid}: this process is not root and is not in that group`);
    }
    if (!isAbsolute(request.command)) throw new BackendError(`backend command ${request.command} is not an absolute path`);
    if (!isAbsolute(request.cwd)) throw new BackendError(`backend working directory ${request.cwd} is not absolute`);
    if (socket.destroyed) throw new BackendError('the client connection is already closed');
    if (socket.readableLength > 0) {
      throw new BackendError('the client socket still holds unread bytes; a backend must pass them as pipelined input');
    }
  }

  private spawn(request: LaunchRequest, socket: Socket): ChildProcess {
    const mode: StderrMode = request.stderr === 'ignore' ? 'ignore' : this.settings.stderr;
    const stdio: StdioOptions = [socket, socket, mode === 'log' ? 'pipe' : mode === 'shared' ? this.sharedStderrFd() : mode];
    const options: SpawnOptions = { cwd: request.cwd, env: { ...request.env }, detached: true, stdio };
    if (process.getuid && process.getuid() === 0) {
      // libuv calls setgroups(0, NULL) before setgid/setuid when either is given: no supplementary groups.
      Object.assign(options, { uid: request.uid, gid: request.gid });
    }
    try {
      return spawn(request.command, [...request.args], options);
    } catch (e) {
      throw new BackendError(`cannot start ${request.command}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** The shared channel, opened on first use (one FIFO for the whole process). */
  private sharedStderrFd(): number {
    this.shared ??= openSharedStderr(this.logger.child({ source: 'backend-stderr' }));
    return this.shared.fd;
  }

  private watchEarlyExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
    if (this.settings.exitWindow <= 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        clearTimeout(timer);
        resolve({ code, signal });
      };
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        resolve(undefined);
      }, this.settings.exitWindow);
      child.once('exit', onExit);
    });
  }
}
