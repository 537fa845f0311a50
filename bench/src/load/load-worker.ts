/**
 * The load generator's own process (spawned by run-load.ts, so it never shares an event loop with a
 * measured server). Reads one job as JSON from the BENCH_JOB environment variable, prints one JSON result line on stdout. An idle
 * job prints its result once every connection is held, then waits for a line on stdin to release them.
 */
import { performance } from 'node:perf_hooks';
import { fetchFirstMessage, logIn, logOut, readGreeting } from './dialogues.js';
import { LatencyRecorder } from './histogram.js';
import { LineClient } from './line-client.js';
import type { FetchJob, FetchJobResult, IdleJob, IdleJobResult, LoadJob, LoginJob, LoginJobResult } from './jobs.js';

class ErrorLog {
  count = 0;
  readonly samples = new Set<string>();
  add(error: unknown): void {
    this.count += 1;
    if (this.samples.size < 5) this.samples.add(error instanceof Error ? error.message : String(error));
  }
}

async function runLogins(job: LoginJob): Promise<LoginJobResult> {
  const latency = new LatencyRecorder();
  const errors = new ErrorLog();
  let started = 0;
  let completed = 0;
  const begin = performance.now();
  const deadline = begin + job.durationMs;
  const oneClient = async () => {
    while (performance.now() < deadline && started < job.maxSessions) {
      started += 1;
      const t0 = performance.now();
      let client: LineClient | undefined;
      try {
        client = await LineClient.open(job.endpoint);
        await readGreeting(client, job.protocol);
        const result = await logIn(client, job.protocol, job.user, job.password);
        if (result.ok === job.expectRefusal) throw new Error(`login ${result.ok ? 'accepted' : 'refused'}: ${result.reply.slice(0, 120)}`);
        latency.record(performance.now() - t0);
        await logOut(client, job.protocol);
        completed += 1;
      } catch (error) {
        errors.add(error);
      } finally {
        client?.close();
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, oneClient));
  const elapsedMs = performance.now() - begin;
  return {
    kind: 'logins',
    completed,
    errors: errors.count,
    elapsedMs: Math.round(elapsedMs),
    perSecond: Math.round((completed / elapsedMs) * 1000 * 10) / 10,
    latency: latency.summary(),
    errorSamples: [...errors.samples],
  };
}

async function runIdle(job: IdleJob): Promise<void> {
  const clients: LineClient[] = [];
  const errors = new ErrorLog();
  let next = 0;
  const begin = performance.now();
  const opener = async () => {
    while (next < job.count) {
      next += 1;
      try {
        const client = await LineClient.open(job.endpoint);
        await readGreeting(client, job.protocol);
        clients.push(client);
      } catch (error) {
        errors.add(error);
      }
    }
  };
  await Promise.all(Array.from({ length: job.openConcurrency }, opener));
  const result: IdleJobResult = {
    kind: 'idle',
    held: clients.length,
    errors: errors.count,
    openMs: Math.round(performance.now() - begin),
    errorSamples: [...errors.samples],
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await new Promise<void>((resolve) => {
    process.stdin.once('data', () => resolve());
    process.stdin.once('end', () => resolve());
  });
  for (const client of clients) client.close();
}

async function runFetch(job: FetchJob): Promise<FetchJobResult> {
  const errors = new ErrorLog();
  let bytes = 0;
  let transferMs = 0;
  for (let i = 0; i < job.repetitions; i += 1) {
    let client: LineClient | undefined;
    try {
      client = await LineClient.open(job.endpoint);
      await readGreeting(client, job.protocol);
      const login = await logIn(client, job.protocol, job.user, job.password);
      if (!login.ok) throw new Error(`login refused: ${login.reply.slice(0, 120)}`);
      const t0 = performance.now();
      bytes += await fetchFirstMessage(client, job.protocol);
      transferMs += performance.now() - t0;
      await logOut(client, job.protocol);
    } catch (error) {
      errors.add(error);
    } finally {
      client?.close();
    }
  }
  return {
    kind: 'fetch',
    bytes,
    transferMs: Math.round(transferMs * 10) / 10,
    megabytesPerSecond: transferMs === 0 ? 0 : Math.round((bytes / 1e6 / (transferMs / 1000)) * 10) / 10,
    errors: errors.count,
    errorSamples: [...errors.samples],
  };
}

async function main(): Promise<void> {
  const raw = process.env['BENCH_JOB'];
  if (raw === undefined) throw new Error('load-worker: missing BENCH_JOB');
  const job = JSON.parse(raw) as LoadJob;
  if (job.kind === 'idle') {
    await runIdle(job);
    return;
  }
  const result = job.kind === 'logins' ? await runLogins(job) : await runFetch(job);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`load-worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
