/**
 * Idle pre-authentication memory: hold N connections (greeting read), sum RSS/PSS over the server's
 * tree. The per-connection figure is marginal: a first tenth of the connections (at most 100) is
 * opened and held before the "before" reading, so one-time costs of the first connections (a garbage
 * collection of startup or earlier cells' garbage, first process starts, JIT) fall outside it; a run
 * that read "before" on an idle server measured negative figures when such a collection came between.
 */
import { holdIdle } from '../load/run-load.js';
import type { IdleCell, Target } from '../results.js';
import { treeMemory } from '../system/process-tree.js';

/** Runs one cell per count against `host:port` (IMAP, plaintext). */
export async function runIdleCells(target: Target, host: string, port: number, serverPid: number, counts: readonly number[], log: (line: string) => void): Promise<IdleCell[]> {
  const cells: IdleCell[] = [];
  for (const connections of counts) {
    const spec = { kind: 'idle', endpoint: { host, port, tls: false }, protocol: 'imap', openConcurrency: 100 } as const;
    const first = await holdIdle({ ...spec, count: Math.min(100, Math.max(1, Math.floor(connections / 10))) });
    let before;
    let held;
    let after;
    try {
      before = treeMemory(serverPid);
      held = await holdIdle({ ...spec, count: connections - first.result.held });
      try {
        after = treeMemory(serverPid);
      } finally {
        await held.release();
      }
    } finally {
      await first.release();
    }
    const marginal = held.result.held;
    const n = first.result.held + marginal;
    const cell: IdleCell = {
      status: n === connections ? 'ok' : 'blocked',
      ...(held.result.errorSamples.length + first.result.errorSamples.length > 0
        ? { reason: `${held.result.errors + first.result.errors} failed: ${[...first.result.errorSamples, ...held.result.errorSamples].join(' | ')}` }
        : {}),
      target,
      protocol: 'imap',
      connections,
      held: n,
      processes: after.processes,
      rssBytes: after.rssBytes,
      pssBytes: after.pssBytes,
      pssPerConnectionBytes: marginal === 0 ? 0 : Math.round((after.pssBytes - before.pssBytes) / marginal),
      rssPerConnectionBytes: marginal === 0 ? 0 : Math.round((after.rssBytes - before.rssBytes) / marginal),
    };
    log(`idle ${target} ${connections}: held ${n} in ${held.result.openMs} ms, ${after.processes} processes, PSS ${(after.pssBytes / 1048576).toFixed(1)} MiB, ${(cell.pssPerConnectionBytes / 1024).toFixed(1)} KiB/connection`);
    cells.push(cell);
  }
  return cells;
}
