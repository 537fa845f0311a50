/**
 * A long-running server process the benchmark started: spawned under prlimit with a high descriptor
 * limit, its output captured to a log file, stopped with SIGTERM (SIGKILL of the whole tree after a grace
 * period). Registered on the cleanup stack so it is stopped on errors and signals too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { NOFILE_LIMIT } from '../load/run-load.js';
import type { CleanupStack } from '../system/cleanup-stack.js';
import { treePids } from '../system/process-tree.js';

/** A started server. */
export class ManagedProcess {
  private exited = false;
  private readonly exit: Promise<void>;
  private readonly unregister: () => Promise<void>;

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
    cleanup: CleanupStack,
  ) {
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exit.then(() => (this.exited = true));
    this.unregister = cleanup.push(label, () => this.terminate());
  }

  /** Spawns `argv` with its stdout/stderr appended to `logFile`. */
  static start(label: string, argv: readonly string[], logFile: string, cleanup: CleanupStack, env?: NodeJS.ProcessEnv): ManagedProcess {
    const fd = openSync(logFile, 'a');
    try {
      const child = spawn('prlimit', [`--nofile=${NOFILE_LIMIT}:${NOFILE_LIMIT}`, ...argv], { stdio: ['ignore', fd, fd], env: env ?? process.env });
      return new ManagedProcess(label, child, cleanup);
    } finally {
      closeSync(fd);
    }
  }

  /** The root pid (prlimit execs the program, so this is the server's own master process). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Whether it is still running. */
  get alive(): boolean {
    return !this.exited;
  }

  /** Stops it (and unregisters from the cleanup stack). */
  stop(): Promise<void> {
    return this.unregister();
  }

  private async terminate(): Promise<void> {
    if (this.exited) return;
    const pids = treePids(this.pid);
    this.child.kill('SIGTERM');
    const graceful = await Promise.race([this.exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000).unref())]);
    // Whatever of its tree is left (graceful or not) is ours to end: these are the pids we started.
    for (const pid of pids) {
      try {
        process.kill(pid, graceful ? 'SIGTERM' : 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (!graceful) await this.exit;
  }
}
