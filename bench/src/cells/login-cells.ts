/** Logins per second and latency, one target at a time, measured by the separate load generator. */
import type { Protocol } from '../load/dialogues.js';
import { runJob } from '../load/run-load.js';
import type { BenchUser } from '../fixtures/mail-users.js';
import type { BenchPlan, LoginCell, Target } from '../results.js';
import { treeCpuSeconds } from '../system/process-tree.js';

/** What one target offers for the login cells. */
export interface LoginTarget {
  readonly target: Target;
  readonly host: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** Root pid of the server's process tree (for CPU). */
  readonly serverPid: number;
  /**
   * Other process trees that serve these logins (the Dovecot a handoff daemon hands them to): counted in
   * the server CPU; the tree of `serverPid` alone is then reported as `daemonCpuMsPerLogin`.
   */
  readonly extraPids?: readonly number[];
}

function perLogin(cpuSeconds: number, completed: number): number {
  return completed === 0 ? 0 : Math.round((cpuSeconds * 1000 * 100) / completed) / 100;
}

/** Runs every scheme x concurrency cell for one target; `expectRefusal` for authentication-only cells. */
export async function runLoginCells(target: LoginTarget, users: readonly BenchUser[], plan: BenchPlan, expectRefusal: boolean, log: (line: string) => void): Promise<LoginCell[]> {
  const cells: LoginCell[] = [];
  for (const user of users) {
    const base = { endpoint: { host: target.host, port: target.port, tls: false }, protocol: target.protocol, user: user.login, password: user.password, expectRefusal } as const;
    // Warm-up (not recorded, BenchPlan.warmupMs): first process starts, caches, JIT.
    await runJob({ kind: 'logins', ...base, concurrency: Math.min(20, Math.max(...plan.concurrencies)), durationMs: plan.warmupMs, maxSessions: plan.maxSessionsPerCell });
    for (const concurrency of plan.concurrencies) {
      const extra = target.extraPids ?? [];
      const extraCpu = () => extra.reduce((sum, pid) => sum + treeCpuSeconds(pid), 0);
      const cpuBefore = treeCpuSeconds(target.serverPid);
      const extraBefore = extraCpu();
      const result = await runJob({ kind: 'logins', ...base, concurrency, durationMs: plan.loginDurationMs, maxSessions: plan.maxSessionsPerCell });
      const daemonCpu = treeCpuSeconds(target.serverPid) - cpuBefore;
      const cpu = daemonCpu + extraCpu() - extraBefore;
      const ok = result.completed > 0;
      const cell: LoginCell = {
        status: ok ? 'ok' : 'blocked',
        ...(result.errorSamples.length > 0 ? { reason: result.errorSamples.join(' | ') } : {}),
        target: target.target,
        protocol: target.protocol,
        scheme: user.scheme,
        concurrency,
        completed: result.completed,
        errors: result.errors,
        perSecond: result.perSecond,
        p50Ms: result.latency.p50Ms,
        p99Ms: result.latency.p99Ms,
        serverCpuMsPerLogin: perLogin(cpu, result.completed),
        ...(extra.length > 0 ? { daemonCpuMsPerLogin: perLogin(daemonCpu, result.completed) } : {}),
      };
      log(`${expectRefusal ? 'auth-only' : 'logins'} ${target.target} ${target.protocol} ${user.scheme} c=${concurrency}: ${cell.perSecond}/s p50 ${cell.p50Ms} ms p99 ${cell.p99Ms} ms, CPU ${cell.serverCpuMsPerLogin} ms/login${cell.daemonCpuMsPerLogin !== undefined ? ` (daemon ${cell.daemonCpuMsPerLogin})` : ''}, ${cell.completed} ok, ${cell.errors} errors${cell.reason !== undefined ? ` (${cell.reason.slice(0, 160)})` : ''}`);
      cells.push(cell);
    }
  }
  return cells;
}

/** Cells marked blocked (or skipped) with a reason, for a target that could not run. */
export function unavailableLoginCells(target: Target, protocol: Protocol, plan: BenchPlan, status: 'blocked' | 'skipped', reason: string): LoginCell[] {
  return plan.schemes.flatMap((scheme) =>
    plan.concurrencies.map((concurrency) => ({
      status, reason, target, protocol, scheme, concurrency, completed: 0, errors: 0, perSecond: 0, p50Ms: 0, p99Ms: 0, serverCpuMsPerLogin: 0,
    })),
  );
}
