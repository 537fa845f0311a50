/**
 * CPU time and memory of a server, summed over all processes of its tree, read from /proc (Linux).
 * CPU includes cutime/cstime so children that have exited and been reaped (Dovecot's per-login processes,
 * our backends) are counted.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux x86-64 and arm64

interface StatLine {
  readonly pid: number;
  readonly ppid: number;
  readonly ticks: number;
}

function readStat(pid: number): StatLine | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { pid, ppid, ticks };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** Every live pid of the tree rooted at `root` (the root included, if alive). */
export function treePids(root: number): number[] {
  const stats: StatLine[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat !== undefined) stats.push(stat);
  }
  const children = new Map<number, number[]>();
  for (const stat of stats) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat.pid);
    children.set(stat.ppid, list);
  }
  const result: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (!stats.some((s) => s.pid === pid)) continue;
    result.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return result;
}

/** CPU seconds (user + system, own and reaped children) of the tree rooted at `root`. */
export function treeCpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of treePids(root)) ticks += readStat(pid)?.ticks ?? 0;
  return ticks / CLOCK_TICKS;
}

/** Memory of a set of processes, in bytes. */
export interface TreeMemory {
  readonly processes: number;
  readonly rssBytes: number;
  readonly pssBytes: number;
}

/** RSS and PSS summed over the tree rooted at `root` (from smaps_rollup). */
export function treeMemory(root: number): TreeMemory {
  let rss = 0;
  let pss = 0;
  let processes = 0;
  for (const pid of treePids(root)) {
    try {
      const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1');
      rss += kilobytes(text, 'Rss');
      pss += kilobytes(text, 'Pss');
      processes += 1;
    } catch {
      // exited meanwhile
    }
  }
  return { processes, rssBytes: rss * 1024, pssBytes: pss * 1024 };
}

function kilobytes(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match === null ? 0 : Number(match[1]);
}
