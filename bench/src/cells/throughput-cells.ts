/** Post-login download of the large message (IMAP FETCH BODY[], POP3 RETR), plaintext and TLS. */
import type { Protocol } from '../load/dialogues.js';
import { runJob } from '../load/run-load.js';
import type { BenchUser } from '../fixtures/mail-users.js';
import type { Target, ThroughputCell } from '../results.js';

/** Runs one cell for `protocol` over `port` (`tls`: implicit TLS port). */
export async function runThroughputCell(target: Target, protocol: Protocol, tls: boolean, host: string, port: number, user: BenchUser, repetitions: number, log: (line: string) => void): Promise<ThroughputCell> {
  const result = await runJob({ kind: 'fetch', endpoint: { host, port, tls }, protocol, user: user.login, password: user.password, repetitions });
  const ok = result.errors === 0 && result.bytes > 0;
  const cell: ThroughputCell = {
    status: ok ? 'ok' : 'blocked',
    ...(result.errorSamples.length > 0 ? { reason: result.errorSamples.join(' | ') } : {}),
    target,
    protocol,
    tls,
    bytes: result.bytes,
    megabytesPerSecond: result.megabytesPerSecond,
  };
  log(`throughput ${target} ${protocol}${tls ? '+tls' : ''}: ${cell.megabytesPerSecond} MB/s${cell.reason !== undefined ? ` (${cell.reason.slice(0, 160)})` : ''}`);
  return cell;
}
