/** Idle pre-authentication memory: hold N connections (greeting read), sum RSS/PSS over the server's tree. */
import { holdIdle } from '../load/run-load.js';
import type { IdleCell, Target } from '../results.js';
import { treeMemory } from '../system/process-tree.js';

/** Runs one cell per count against `host:port` (IMAP, plaintext). */
export async function runIdleCells(target: Target, host: string, port: number, serverPid: number, counts: readonly number[], log: (line: string) => void): Promise<IdleCell[]> {
  const cells: IdleCell[] = [];
  for (const connections of counts) {
    const before = treeMemory(serverPid);
    const held = await holdIdle({ kind: 'idle', endpoint: { host, port, tls: false }, protocol: 'imap', count: connections, openConcurrency: 100 });
    let after;
    try {
      after = treeMemory(serverPid);
    } finally {
      await held.release();
    }
    const n = held.result.held;
    const cell: IdleCell = {
      status: n === connections ? 'ok' : 'blocked',
      ...(held.result.errorSamples.length > 0 ? { reason: `${held.result.errors} failed: ${held.result.errorSamples.join(' | ')}` } : {}),
      target,
      protocol: 'imap',
      connections,
      held: n,
      processes: after.processes,
      rssBytes: after.rssBytes,
      pssBytes: after.pssBytes,
      pssPerConnectionBytes: n === 0 ? 0 : Math.round((after.pssBytes - before.pssBytes) / n),
      rssPerConnectionBytes: n === 0 ? 0 : Math.round((after.rssBytes - before.rssBytes) / n),
    };
    log(`idle ${target} ${connections}: held ${n} in ${held.result.openMs} ms, ${after.processes} processes, PSS ${(after.pssBytes / 1048576).toFixed(1)} MiB, ${(cell.pssPerConnectionBytes / 1024).toFixed(1)} KiB/connection`);
    cells.push(cell);
  }
  return cells;
}
