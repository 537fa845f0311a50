/**
 * `node bench/dist/profile-summary.js DIR [TOP]`: sums self time per function over every .cpuprofile in
 * DIR (written by `npm run bench -- --profile DIR`) and prints the top entries and a per-package split.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function area(url: string): string {
  const pkg = /packages\/([^/]+)\//.exec(url);
  if (pkg !== null) return `@pigeondeliver/${pkg[1]}`;
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (mod !== null) return mod[1] as string;
  if (url.startsWith('node:')) return 'node core';
  return url === '' ? '(native/gc/idle)' : url;
}

function main(): void {
  const dir = process.argv[2];
  const top = Number(process.argv[3] ?? 30);
  if (dir === undefined) throw new Error('usage: profile-summary DIR [TOP]');
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = nodes.get(id);
      const us = profile.timeDeltas[i] ?? 0;
      if (node === undefined) return;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)' || functionName === '(program)') return;
      total += us;
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(packages|node_modules)\//, '$1/')}:${lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
      const a = functionName === '(garbage collector)' ? '(garbage collector)' : area(url);
      byArea.set(a, (byArea.get(a) ?? 0) + us);
    });
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  process.stdout.write(`busy time: ${(total / 1000).toFixed(0)} ms\n\nby area:\n`);
  for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, 20)) process.stdout.write(`${pct(us)}  ${a}\n`);
  process.stdout.write(`\nby function (self time):\n`);
  for (const [f, us] of [...byFunction].sort((x, y) => y[1] - x[1]).slice(0, top)) process.stdout.write(`${pct(us)}  ${f}\n`);
}

main();
