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
  /** Extra Node flags for the PigeonDeliver daemons (--node-flags), e.g. --trace-deopt. */
  readonly nodeFlags: readonly string[];
  readonly host: string;
  /** Sections to run (--only); all when undefined. */
  readonly only: ReadonlySet<BenchSection> | undefined;
}

/** The sections of a run that --only can pick. */
export const BENCH_SECTIONS = ['pd', 'auth-only', 'handoff', 'dovecot-default', 'dovecot-high-performance', 'greeting'] as const;
/** One section of a run. */
export type BenchSection = (typeof BENCH_SECTIONS)[number];

/** True when `section` is to run. */
export function runsSection(options: Pick<BenchOptions, 'only'>, section: BenchSection): boolean {
  return options.only === undefined || options.only.has(section);
}

const USAGE = `usage: npm run bench -- [--quick] [--json FILE] [--docs FILE | --no-docs] [--keep] [--profile DIR] [--node-flags FLAGS] [--warmup MS] [--host 127.0.0.1] [--only S,...] [--clients N,...] [--schemes S,...]
  --quick        smallest cells (under a minute): 1 client, short cells, 20 idle connections, small message
  --json FILE    where to write the results (default bench/results/latest.json)
  --docs FILE    update the generated section of FILE (default docs/performance.md; --quick: none)
  --keep         keep the run directory (configs and server logs) and print its path
  --profile DIR  run the PigeonDeliver daemons with --cpu-prof, profiles into DIR
  --node-flags F extra Node flags for the PigeonDeliver daemons, space-separated (e.g. "--perf-basic-prof")
  --warmup MS    unrecorded warm-up per target and scheme before its login cells (default 8000; --quick: 200)
  --host ADDR    loopback address to use (127.0.0.0/8 or ::1 only)
  --only LIST    run only these sections (${BENCH_SECTIONS.join(', ')}); no docs update unless --docs
  --clients LIST concurrencies of the login cells (default 1,20,200; --quick: 1)
  --schemes LIST password schemes of the login cells (default PLAIN,SHA512-CRYPT)`;

/** Parses argv (without node and script); throws with the usage on anything unknown. */
export function parseBenchOptions(argv: readonly string[], repoRoot: string): BenchOptions {
  let quick = false;
  let jsonFile: string | undefined;
  let docsFile: string | undefined;
  let noDocs = false;
  let keep = false;
  let profileDir: string | undefined;
  let nodeFlags: string[] = [];
  let warmupMs: number | undefined;
  let host = '127.0.0.1';
  let only: Set<BenchSection> | undefined;
  let clients: number[] | undefined;
  let schemes: string[] | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = (flagsAllowed = false) => {
      const v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && !flagsAllowed)) throw new Error(`bench: ${arg} needs a value\n${USAGE}`);
      i += 1;
      return v;
    };
    if (arg === '--quick') quick = true;
    else if (arg === '--json') jsonFile = value();
    else if (arg === '--docs') docsFile = value();
    else if (arg === '--no-docs') noDocs = true;
    else if (arg === '--keep') keep = true;
    else if (arg === '--profile') profileDir = value();
    else if (arg === '--node-flags') nodeFlags = value(true).split(' ').filter((f) => f !== '');
    else if (arg === '--warmup') {
      const v = value();
      if (!/^\d{1,6}$/.test(v)) throw new Error(`bench: --warmup takes milliseconds, not ${v}\n${USAGE}`);
      warmupMs = Number(v);
    } else if (arg === '--host') host = value();
    else if (arg === '--only') only = new Set(value().split(',').map((name) => {
      if (!(BENCH_SECTIONS as readonly string[]).includes(name)) throw new Error(`bench: unknown section ${name} (one of ${BENCH_SECTIONS.join(', ')})\n${USAGE}`);
      return name as BenchSection;
    }));
    else if (arg === '--clients') clients = value().split(',').map((n) => {
      if (!/^[1-9]\d{0,4}$/.test(n)) throw new Error(`bench: --clients takes positive numbers, not ${n}\n${USAGE}`);
      return Number(n);
    });
    else if (arg === '--schemes') schemes = value().split(',').map((n) => {
      if (!['PLAIN', 'SHA512-CRYPT'].includes(n)) throw new Error(`bench: --schemes takes PLAIN and SHA512-CRYPT, not ${n}\n${USAGE}`);
      return n;
    });
    else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    else throw new Error(`bench: unknown argument ${arg}\n${USAGE}`);
  }
  const basePlan: BenchPlan = quick
    ? { quick, concurrencies: [1], schemes: ['PLAIN', 'SHA512-CRYPT'], loginDurationMs: 300, warmupMs: 200, maxSessionsPerCell: 30, idleCounts: [20], messageBytes: 256 * 1024, fetchRepetitions: 1, greetingRuns: 2, daemonWorkers: 1 }
    : { quick, concurrencies: [1, 20, 200], schemes: ['PLAIN', 'SHA512-CRYPT'], loginDurationMs: 3000, warmupMs: 8000, maxSessionsPerCell: 20_000, idleCounts: [2000, 10_000], messageBytes: 32 * 1024 * 1024, fetchRepetitions: 5, greetingRuns: 21, daemonWorkers: availableParallelism() };
  const plan: BenchPlan = { ...basePlan, concurrencies: clients ?? basePlan.concurrencies, schemes: schemes ?? basePlan.schemes, warmupMs: warmupMs ?? basePlan.warmupMs };
  return {
    plan,
    only,
    jsonFile: jsonFile ?? `${repoRoot}/bench/results/latest.json`,
    docsFile: noDocs || ((quick || only !== undefined) && docsFile === undefined) ? undefined : (docsFile ?? `${repoRoot}/docs/performance.md`),
    keep,
    profileDir,
    nodeFlags,
    host,
  };
}
