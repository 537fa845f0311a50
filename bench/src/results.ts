/** The shape of one benchmark run, as written to JSON (and rendered into the table and docs). */

/** Whether a cell produced figures. `blocked`: a product piece did not work; `skipped`: not in this plan. */
export type CellStatus = 'ok' | 'blocked' | 'skipped';

/** What every cell carries. */
export interface CellBase {
  readonly status: CellStatus;
  /** Why a cell is blocked or skipped, or the first errors seen. */
  readonly reason?: string;
}

/**
 * The servers compared. `pigeondeliver-handoff`: the daemon with backend-dovecot in handoff mode
 * (`dovecot_mode = handoff`), handing each login to a private Dovecot's reused imap/pop3 processes.
 */
export type Target = 'pigeondeliver' | 'pigeondeliver-handoff' | 'dovecot-default' | 'dovecot-high-performance';

/** Logins (or authentication alone) at one concurrency. */
export interface LoginCell extends CellBase {
  readonly target: Target;
  readonly protocol: 'imap' | 'pop3';
  readonly scheme: string;
  readonly concurrency: number;
  readonly completed: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server CPU (whole process tree, including exited children) per completed login. */
  readonly serverCpuMsPerLogin: number;
  /**
   * Of `serverCpuMsPerLogin`, PigeonDeliver's own processes only, for targets whose server is more than
   * one process tree (`pigeondeliver-handoff`: the daemon plus the Dovecot it hands logins to).
   */
  readonly daemonCpuMsPerLogin?: number;
}

/** Idle pre-authentication connections held. */
export interface IdleCell extends CellBase {
  readonly target: Target;
  readonly protocol: 'imap';
  readonly connections: number;
  readonly held: number;
  readonly processes: number;
  readonly rssBytes: number;
  readonly pssBytes: number;
  /** (PSS with the connections held - PSS before) / held. */
  readonly pssPerConnectionBytes: number;
  readonly rssPerConnectionBytes: number;
}

/** Post-login download of the large message. */
export interface ThroughputCell extends CellBase {
  readonly target: Target;
  readonly protocol: 'imap' | 'pop3';
  readonly tls: boolean;
  readonly bytes: number;
  readonly megabytesPerSecond: number;
}

/** Time from process start to greeting (or exit, for the node -e 0 baseline). */
export interface GreetingCell extends CellBase {
  readonly launcher: 'node -e 0' | 'pd-forker-stdio' | 'pd-forker-inetd';
  readonly runs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Machine and versions. */
export interface MachineInfo {
  readonly date: string;
  readonly nproc: number;
  readonly memoryBytes: number;
  readonly cpuModel: string;
  readonly kernel: string;
  readonly node: string;
  readonly dovecot: string;
  readonly pigeondeliverCommit: string;
}

/** The plan the run used (counts are printed with the results). */
export interface BenchPlan {
  readonly quick: boolean;
  readonly concurrencies: readonly number[];
  readonly schemes: readonly string[];
  readonly loginDurationMs: number;
  /**
   * Unrecorded load before each target's login cells (per scheme), at 20 clients: long-running servers
   * are measured in their steady state, after first process starts, caches and (for us) V8's optimising
   * compiler, which otherwise spends a third of a fresh daemon's CPU in the first seconds.
   */
  readonly warmupMs: number;
  readonly maxSessionsPerCell: number;
  readonly idleCounts: readonly number[];
  readonly messageBytes: number;
  readonly fetchRepetitions: number;
  readonly greetingRuns: number;
  readonly daemonWorkers: number;
}

/** One run. */
export interface BenchResults {
  readonly machine: MachineInfo;
  readonly plan: BenchPlan;
  readonly logins: LoginCell[];
  readonly authOnly: LoginCell[];
  readonly idleMemory: IdleCell[];
  readonly throughput: ThroughputCell[];
  readonly greeting: GreetingCell[];
  readonly notes: string[];
}
