/**
 * Parent side of the load generator: spawns load-worker.js in its own process with a raised descriptor
 * limit (prlimit), passes the job in its environment, collects the JSON result. The job carries a password for the
 * benchmark's throwaway users only; it is never printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FetchJob, FetchJobResult, IdleJob, IdleJobResult, LoginJob, LoginJobResult } from './jobs.js';

const WORKER = fileURLToPath(new URL('./load-worker.js', import.meta.url));

import { readFileSync } from 'node:fs';

/**
 * Descriptor limit given to the generator and the servers (10,000 idle connections need more than
 * 1024): 65,536, or our hard limit if that is lower (a container may forbid raising it, even to root).
 */
export const NOFILE_LIMIT = Math.min(65_536, hardNofileLimit());

function hardNofileLimit(): number {
  const match = /^Max open files\s+\S+\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
  const hard = match?.[1];
  return hard === undefined || hard === 'unlimited' ? 65_536 : Number(hard);
}

function spawnWorker(job: LoginJob | IdleJob | FetchJob): ChildProcess {
  // The job goes through the environment (readable by root and us only), not argv (world-readable).
  return spawn('prlimit', [`--nofile=${NOFILE_LIMIT}:${NOFILE_LIMIT}`, process.execPath, WORKER], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, BENCH_JOB: JSON.stringify(job) },
  });
}

function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`load generator gave no result within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const end = out.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, end));
      }
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!out.includes('\n')) reject(new Error(`load generator exited ${code}: ${err.trim()}`));
    });
  });
}

/** Runs a login or fetch job to completion. */
export async function runJob(job: LoginJob): Promise<LoginJobResult>;
export async function runJob(job: FetchJob): Promise<FetchJobResult>;
export async function runJob(job: LoginJob | FetchJob): Promise<LoginJobResult | FetchJobResult> {
  const child = spawnWorker(job);
  child.stdin?.end();
  const bound = job.kind === 'logins' ? job.durationMs + 60_000 : 300_000;
  return JSON.parse(await firstLine(child, bound)) as LoginJobResult | FetchJobResult;
}

/** Idle connections held by the generator until {@link HeldConnections.release}. */
export interface HeldConnections {
  readonly result: IdleJobResult;
  /** Closes every connection and waits for the generator to exit. */
  release(): Promise<void>;
}

/** Opens the idle connections and resolves once they are all held (or failed). */
export async function holdIdle(job: IdleJob): Promise<HeldConnections> {
  const child = spawnWorker(job);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let line: string;
  try {
    line = await firstLine(child, 300_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    result: JSON.parse(line) as IdleJobResult,
    release: async () => {
      child.stdin?.end('release\n');
      await exited;
    },
  };
}
