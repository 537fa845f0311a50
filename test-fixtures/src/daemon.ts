/**
 * Starts a daemon (pd-forker-listen, or any program that logs JSON lines on stderr) as a child
 * process on port 0 and learns its ports from the readiness line
 * `{"msg":"listening","listeners":[{"name","address","port"}...]}`. Every stderr line is kept (parsed
 * when it is JSON) so tests can wait for a log line; waits are bounded, never fixed sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The fake plugins of test-fixtures/data/plugins-login (login-echo, backend-echo, db-none). */
export const ECHO_PLUGINS_DIR = fileURLToPath(new URL('../data/plugins-login/', import.meta.url));

/** `-o` arguments that select the fake echo login service, backend and database. */
export function echoPluginArgs(): string[] {
  return [
    '-o', `dscm_service=${ECHO_PLUGINS_DIR}login-echo`,
    '-o', `backend=${ECHO_PLUGINS_DIR}backend-echo`,
    '-o', `database=${ECHO_PLUGINS_DIR}db-none`,
  ];
}

/** One listener from the readiness line. */
export interface DaemonListener {
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

/** A parsed stderr line (JSON), or `{ text }` for a line that is not JSON. */
export type LogLine = Record<string, unknown> & { readonly msg?: string; readonly text?: string };

/** A running daemon. */
export interface RunningDaemon {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Listeners of the first readiness line. */
  readonly listeners: readonly DaemonListener[];
  /** Every stderr line so far. */
  readonly logs: LogLine[];
  /** The port of the listener named `name` (the first one when omitted). */
  port(name?: string): number;
  /** Resolves with the first line (already seen or still to come) that `match` accepts. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number, description?: string): Promise<LogLine>;
  /** Resolves when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** How to start a daemon. */
export interface StartDaemonOptions {
  /** The program (a .js file runs with this Node). */
  readonly bin: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Time allowed until the readiness line; default 20 s. */
  readonly readyTimeoutMs?: number;
  /** Run through another program first (e.g. systemd-socket-activate and its flags). */
  readonly wrapper?: readonly string[];
}

/** Starts the program and resolves once it logged `listening`; rejects with its stderr if it exits first. */
export async function startDaemon(options: StartDaemonOptions): Promise<RunningDaemon> {
  const command = options.bin.endsWith('.js') ? [process.execPath, options.bin] : [options.bin];
  const full = [...(options.wrapper ?? []), ...command, ...options.args];
  const child = spawn(full[0]!, full.slice(1), {
    env: options.env ?? { ...process.env, PIGEONDELIVER_CONFIG: '/dev/null' },
    cwd: options.cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: LogLine[] = [];
  let hasExited = false;
  const waiters = new Set<() => void>();
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
      const text = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      let line: LogLine;
      try {
        const parsed = JSON.parse(text) as unknown;
        line = typeof parsed === 'object' && parsed !== null ? (parsed as LogLine) : { text };
      } catch {
        line = { text };
      }
      logs.push(line);
    }
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      for (const w of [...waiters]) w();
      resolve({ code, signal });
    });
  });

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 10_000, description = 'log line'): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (found) {
          done();
          resolve(found);
        } else if (hasExited) {
          done();
          reject(new Error(`daemon exited before the ${description}; stderr:\n${renderLogs(logs)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${description} within ${timeoutMs} ms; stderr:\n${renderLogs(logs)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  let ready: LogLine;
  try {
    ready = await waitForLog((l) => l.msg === 'listening', options.readyTimeoutMs ?? 20_000, 'readiness line ("listening")');
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const listeners = (ready.listeners as DaemonListener[] | undefined) ?? [];
  return {
    child,
    pid: child.pid!,
    listeners,
    logs,
    port(name?: string) {
      const l = name === undefined ? listeners[0] : listeners.find((x) => x.name === name);
      if (!l) throw new Error(`no listener ${name ?? ''} in ${JSON.stringify(listeners)}`);
      return l.port;
    },
    waitForLog,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000) {
      if (!hasExited) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
  };
}

/** Runs a program to its end (for start-up failures): exit code and output. */
export function runToExit(bin: string, args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const command = bin.endsWith('.js') ? [process.execPath, bin] : [bin];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), ...args], { env: env ?? { ...process.env, PIGEONDELIVER_CONFIG: '/dev/null' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${bin} did not exit within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function renderLogs(logs: readonly LogLine[]): string {
  return logs.map((l) => (l.text !== undefined ? l.text : JSON.stringify(l))).join('\n');
}
