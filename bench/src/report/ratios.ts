/** The targets, computed as ratios within one run (PigeonDeliver / reference). */
import type { BenchResults, LoginCell } from '../results.js';

/** One target line of the summary. */
export interface TargetCheck {
  readonly name: string;
  readonly ratio: number | undefined;
  readonly goal: string;
  readonly met: boolean | undefined;
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0 || a === 0) return undefined;
  return Math.round((a / b) * 100) / 100;
}

function findLogin(cells: readonly LoginCell[], target: LoginCell['target'], protocol: string, scheme: string, concurrency: number): number | undefined {
  const cell = cells.find((c) => c.target === target && c.protocol === protocol && c.scheme === scheme && c.concurrency === concurrency && c.status === 'ok');
  return cell?.perSecond;
}

/** Ratio of `subject` (PigeonDeliver, exec or handoff mode) to `reference` for one login cell. */
export function loginRatio(results: BenchResults, reference: LoginCell['target'], protocol: string, scheme: string, concurrency: number, subject: LoginCell['target'] = 'pigeondeliver'): number | undefined {
  return ratio(findLogin(results.logins, subject, protocol, scheme, concurrency), findLogin(results.logins, reference, protocol, scheme, concurrency));
}

/** Every target of the issue with its ratio and whether it was met (undefined: not measured). */
export function targetChecks(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const top = Math.max(...results.plan.concurrencies);
  for (const protocol of ['imap', 'pop3']) {
    for (const scheme of results.plan.schemes) {
      const r = loginRatio(results, 'dovecot-default', protocol, scheme, top);
      checks.push({ name: `${protocol} ${scheme} logins/s at ${top} clients vs Dovecot default`, ratio: r, goal: '>= 1.00', met: r === undefined ? undefined : r >= 1 });
    }
  }
  // Handoff mode (backend-dovecot dovecot_mode=handoff) against Dovecot's tuned configuration.
  for (const protocol of ['imap', 'pop3']) {
    for (const scheme of results.plan.schemes) {
      const r = loginRatio(results, 'dovecot-high-performance', protocol, scheme, top, 'pigeondeliver-handoff');
      checks.push({ name: `${protocol} ${scheme} logins/s at ${top} clients, handoff mode vs Dovecot high-performance`, ratio: r, goal: '>= 1.10', met: r === undefined ? undefined : r >= 1.1 });
    }
  }
  const tp = (target: string, protocol: string, tls: boolean) => results.throughput.find((c) => c.target === target && c.protocol === protocol && c.tls === tls && c.status === 'ok')?.megabytesPerSecond;
  for (const protocol of ['imap', 'pop3']) {
    const plain = ratio(tp('pigeondeliver', protocol, false), tp('dovecot-default', protocol, false));
    checks.push({ name: `${protocol} plaintext download vs Dovecot direct`, ratio: plain, goal: '1.00 (>= 0.95 within noise)', met: plain === undefined ? undefined : plain >= 0.95 });
    const tls = ratio(tp('pigeondeliver', protocol, true), tp('dovecot-default', protocol, true));
    checks.push({ name: `${protocol} TLS download vs Dovecot`, ratio: tls, goal: '>= 0.90', met: tls === undefined ? undefined : tls >= 0.9 });
  }
  for (const connections of results.plan.idleCounts) {
    const pd = results.idleMemory.find((c) => c.target === 'pigeondeliver' && c.connections === connections && c.status === 'ok');
    const dv = results.idleMemory.find((c) => c.target === 'dovecot-high-performance' && c.connections === connections && c.status === 'ok');
    const r = ratio(pd?.pssPerConnectionBytes, dv?.pssPerConnectionBytes);
    checks.push({ name: `idle PSS per connection at ${connections} vs Dovecot high-performance`, ratio: r, goal: '<= 1.00', met: r === undefined ? undefined : r <= 1 });
  }
  const most = Math.max(...results.plan.idleCounts);
  const held = results.idleMemory.find((c) => c.target === 'pigeondeliver' && c.connections === most);
  checks.push({ name: `${most} idle connections held by one daemon`, ratio: held === undefined ? undefined : ratio(held.held, most), goal: '1.00', met: held === undefined ? undefined : held.held === most });
  const base = results.greeting.find((c) => c.launcher === 'node -e 0' && c.status === 'ok')?.p50Ms;
  for (const launcher of ['pd-forker-stdio', 'pd-forker-inetd'] as const) {
    const g = results.greeting.find((c) => c.launcher === launcher && c.status === 'ok')?.p50Ms;
    const r = ratio(g, base);
    checks.push({ name: `${launcher} time to greeting vs node -e 0 (p50)`, ratio: r, goal: '<= 1.50', met: r === undefined ? undefined : r <= 1.5 });
  }
  return checks;
}
