/**
 * Time to greeting of a one-process-per-connection launch: the forker is spawned with a connected
 * loopback TCP socket as stdin/stdout (as inetd does), and the clock runs from spawn() to the greeting at
 * the client. Baseline: spawn() to exit of `node -e 0`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../load/histogram.js';
import type { GreetingCell } from '../results.js';
import { assertLoopback } from '../system/loopback-guard.js';

/** A connected pair of loopback TCP sockets. */
async function socketPair(host: string): Promise<{ client: Socket; server: Socket }> {
  assertLoopback(host);
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, host, resolve));
  const address = listener.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  const client = connect({ host, port });
  const server = await accepted;
  listener.close();
  return { client, server };
}

async function nodeExitOnce(): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  return performance.now() - t0;
}

async function forkerGreetingOnce(argv: readonly string[], host: string): Promise<number> {
  const { client, server } = await socketPair(host);
  const [file, ...args] = argv as [string, ...string[]];
  const t0 = performance.now();
  const child = spawn(file, args, { stdio: [server, server, 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  server.destroy(); // the child holds its own copy
  try {
    return await new Promise<number>((resolve, reject) => {
      let text = '';
      client.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        if (text.includes('\r\n')) {
          if (text.startsWith('* OK') || text.startsWith('+OK')) resolve(performance.now() - t0);
          else reject(new Error(`unexpected greeting: ${text.trim().slice(0, 120)}`));
        }
      });
      void exited.then(() => reject(new Error(`exited before the greeting: ${stderr.trim().slice(0, 300)}`)));
      setTimeout(() => reject(new Error('no greeting within 10 s')), 10_000).unref();
    });
  } finally {
    client.destroy();
    const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]);
    if (!gone) child.kill('SIGKILL');
  }
}

function cell(launcher: GreetingCell['launcher'], recorder: LatencyRecorder): GreetingCell {
  const s = recorder.summary();
  return { status: 'ok', launcher, runs: s.count, p50Ms: s.p50Ms, p99Ms: s.p99Ms };
}

/**
 * The baseline and one cell per forker binary (blocked when the binary is missing or fails), measured
 * in rounds: each round launches `node -e 0` and then each forker once, so that a change of the
 * machine's speed during the run (other tenants of a shared host) weighs on every cell alike.
 */
export async function runGreetingCells(repoRoot: string, configFile: string, host: string, runs: number, log: (line: string) => void): Promise<GreetingCell[]> {
  const baseline = new LatencyRecorder();
  const forkers = [
    { launcher: 'pd-forker-stdio' as const, bin: `${repoRoot}/packages/forker-stdio/dist/bin.js`, recorder: new LatencyRecorder(), blocked: undefined as string | undefined },
    { launcher: 'pd-forker-inetd' as const, bin: `${repoRoot}/packages/forker-inetd/dist/bin.js`, recorder: new LatencyRecorder(), blocked: undefined as string | undefined },
  ];
  for (const forker of forkers) if (!existsSync(forker.bin)) forker.blocked = `${forker.bin} is not built yet`;
  for (let i = 0; i < runs; i += 1) {
    baseline.record(await nodeExitOnce());
    for (const forker of forkers) {
      if (forker.blocked !== undefined) continue;
      try {
        forker.recorder.record(await forkerGreetingOnce([process.execPath, forker.bin, '-c', configFile], host));
      } catch (error) {
        forker.blocked = error instanceof Error ? error.message : String(error);
      }
    }
  }
  const cells: GreetingCell[] = [cell('node -e 0', baseline)];
  for (const forker of forkers) {
    cells.push(forker.blocked !== undefined ? { status: 'blocked', reason: forker.blocked, launcher: forker.launcher, runs: 0, p50Ms: 0, p99Ms: 0 } : cell(forker.launcher, forker.recorder));
  }
  for (const c of cells) log(`greeting ${c.launcher}: ${c.status === 'ok' ? `p50 ${c.p50Ms} ms p99 ${c.p99Ms} ms over ${c.runs}` : `${c.status}: ${c.reason ?? ''}`}`);
  return cells;
}
