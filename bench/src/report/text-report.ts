/** Renders a run as Markdown tables (printed on stdout and written into docs/performance.md). */
import type { BenchResults, LoginCell } from '../results.js';
import { loginRatio, targetChecks } from './ratios.js';

const MiB = 1024 * 1024;

function status(c: { status: string; reason?: string }): string {
  return c.status === 'ok' ? '' : ` (${c.status}${c.reason !== undefined ? `: ${c.reason.replace(/\|/g, '/').slice(0, 140)}` : ''})`;
}

function fmtRatio(r: number | undefined): string {
  return r === undefined ? 'n/a' : `${r.toFixed(2)}x`;
}

function loginTable(cells: readonly LoginCell[], results: BenchResults, withRatios: boolean): string[] {
  const lines = [
    `| target | proto | scheme | clients | logins/s | p50 ms | p99 ms | server CPU ms/login | errors |${withRatios ? ' vs Dovecot default | vs Dovecot high-perf |' : ''}`,
    `|---|---|---|---:|---:|---:|---:|---:|---:|${withRatios ? '---:|---:|' : ''}`,
  ];
  for (const c of cells) {
    const ours = c.target === 'pigeondeliver' || c.target === 'pigeondeliver-handoff';
    const ratios = withRatios && ours
      ? ` ${fmtRatio(loginRatio(results, 'dovecot-default', c.protocol, c.scheme, c.concurrency, c.target))} | ${fmtRatio(loginRatio(results, 'dovecot-high-performance', c.protocol, c.scheme, c.concurrency, c.target))} |`
      : withRatios ? ' | |' : '';
    const cpu = c.daemonCpuMsPerLogin === undefined ? `${c.serverCpuMsPerLogin}` : `${c.serverCpuMsPerLogin} (daemon ${c.daemonCpuMsPerLogin})`;
    lines.push(`| ${c.target}${status(c)} | ${c.protocol} | ${c.scheme} | ${c.concurrency} | ${c.perSecond} | ${c.p50Ms} | ${c.p99Ms} | ${cpu} | ${c.errors} |${ratios}`);
  }
  return lines;
}

/** The whole report as Markdown. */
export function renderReport(results: BenchResults): string {
  const m = results.machine;
  const p = results.plan;
  const out: string[] = [];
  out.push(`Run of ${m.date} on ${m.nproc} CPUs (${m.cpuModel}), ${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB, Linux ${m.kernel}; Node ${m.node}; Dovecot ${m.dovecot}; PigeonDeliver ${m.pigeondeliverCommit}.`);
  out.push('');
  out.push(`Plan${p.quick ? ' (--quick)' : ''}: ${p.loginDurationMs} ms per login cell (at most ${p.maxSessionsPerCell} sessions) after ${p.warmupMs} ms of unrecorded warm-up per target and scheme, clients ${p.concurrencies.join('/')}, schemes ${p.schemes.join(', ')}; idle ${p.idleCounts.join(' and ')} connections; message ${(p.messageBytes / MiB).toFixed(1)} MiB x ${p.fetchRepetitions}; ${p.greetingRuns} launches per greeting cell; daemon workers ${p.daemonWorkers}. Load generator: its own process on the same 2 cores.`);
  out.push('', '### Targets', '', '| target | ratio | goal | met |', '|---|---:|---|---|');
  for (const t of targetChecks(results)) out.push(`| ${t.name} | ${fmtRatio(t.ratio)} | ${t.goal} | ${t.met === undefined ? 'not measured' : t.met ? 'yes' : 'NO'} |`);
  out.push('', '### Logins (connect, greeting, login, logout)', '', 'pigeondeliver-handoff: the daemon with backend-dovecot in handoff mode, logins handed to a private Dovecot\'s reused imap/pop3 processes; its server CPU counts the daemon and that Dovecot (the daemon alone in parentheses).', '', ...loginTable(results.logins, results, true));
  out.push('', '### Authentication alone (login refused at the backend step)', '', ...loginTable(results.authOnly, results, false));
  out.push('', '### Idle pre-authentication memory (IMAP, greeting read; sums over every process of the server)', '', '| target | connections | held | processes | RSS MiB | PSS MiB | PSS KiB/conn | RSS KiB/conn |', '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of results.idleMemory) out.push(`| ${c.target}${status(c)} | ${c.connections} | ${c.held} | ${c.processes} | ${(c.rssBytes / MiB).toFixed(1)} | ${(c.pssBytes / MiB).toFixed(1)} | ${(c.pssPerConnectionBytes / 1024).toFixed(1)} | ${(c.rssPerConnectionBytes / 1024).toFixed(1)} |`);
  out.push('', '### Post-login download of the large message', '', '| target | proto | TLS | MB/s | bytes |', '|---|---|---|---:|---:|');
  for (const c of results.throughput) out.push(`| ${c.target}${status(c)} | ${c.protocol} | ${c.tls ? 'yes' : 'no'} | ${c.megabytesPerSecond} | ${c.bytes} |`);
  out.push('', '### Time to greeting (one process per connection)', '', '| launcher | runs | p50 ms | p99 ms |', '|---|---:|---:|---:|');
  for (const c of results.greeting) out.push(`| ${c.launcher}${status(c)} | ${c.runs} | ${c.p50Ms} | ${c.p99Ms} |`);
  if (results.notes.length > 0) out.push('', '### Notes from the run', '', ...results.notes.map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}
