/** Command line of `npm run bench` and the plan each mode uses. */
import { availableParallelism } from 'node:os';
import type { BenchPlan } from './results.js';

/** Parsed command line. */
export interface BenchOptions {
  readonly plan: BenchPlan;
  /** Where the JSON goes. */
  readonly jsonFile: string;
  /** docs/performance.md to update, or undefined (--no-docs). */
  readonly docsFile: string | undefined;
  /** Keep the run directory (configs, logs) instead of deleting it. */
  readonly keep: boolean;
  /** Directory for --cpu-prof profiles of the daemon, or undefined. */
  readonly profileDir: string | undefined;
  readonly host: string;
}

const USAGE = `usage: npm run bench -- [--quick] [--json FILE] [--docs FILE | --no-docs] [--keep] [--profile DIR] [--host 127.0.0.1]
  --quick        smallest cells (under a minute): 1 client, short cells, 20 idle connections, small message
  --json FILE    where to write the results (default bench/results/latest.json)
  --docs FILE    update the generated section of FILE (default docs/performance.md; --quick: none)
  --keep         keep the run directory (configs and server logs) and print its path
  --profile DIR  run the PigeonDeliver daemons with --cpu-prof, profiles into DIR
  --host ADDR    loopback address to use (127.0.0.0/8 or ::1 only)`;

/** Parses argv (without node and script); throws with the usage on anything unknown. */
export function parseBenchOptions(argv: readonly string[], repoRoot: string): BenchOptions {
  let quick = false;
  let jsonFile: string | undefined;
  let docsFile: string | undefined;
  let noDocs = false;
  let keep = false;
  let profileDir: string | undefined;
  let host = '127.0.0.1';
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`bench: ${arg} needs a value\n${USAGE}`);
      i += 1;
      return v;
    };
    if (arg === '--quick') quick = true;
    else if (arg === '--json') jsonFile = value();
    else if (arg === '--docs') docsFile = value();
    else if (arg === '--no-docs') noDocs = true;
    else if (arg === '--keep') keep = true;
    else if (arg === '--profile') profileDir = value();
    else if (arg === '--host') host = value();
    else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    else throw new Error(`bench: unknown argument ${arg}\n${USAGE}`);
  }
  const plan: BenchPlan = quick
    ? { quick, concurrencies: [1], schemes: ['PLAIN', 'SHA512-CRYPT'], loginDurationMs: 300, maxSessionsPerCell: 30, idleCounts: [20], messageBytes: 256 * 1024, fetchRepetitions: 1, greetingRuns: 2, daemonWorkers: 1 }
    : { quick, concurrencies: [1, 20, 200], schemes: ['PLAIN', 'SHA512-CRYPT'], loginDurationMs: 3000, maxSessionsPerCell: 20_000, idleCounts: [2000, 10_000], messageBytes: 32 * 1024 * 1024, fetchRepetitions: 5, greetingRuns: 10, daemonWorkers: availableParallelism() };
  return {
    plan,
    jsonFile: jsonFile ?? `${repoRoot}/bench/results/latest.json`,
    docsFile: noDocs || (quick && docsFile === undefined) ? undefined : (docsFile ?? `${repoRoot}/docs/performance.md`),
    keep,
    profileDir,
    host,
  };
}
