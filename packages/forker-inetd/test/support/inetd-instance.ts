/**
 * A private openbsd-inetd for tests: `inetd -i FILE` in the foreground (its own session), with a
 * config file naming 127.0.0.1 high ports only, so the system's inetd.conf is untouched. Ready when
 * every port is in LISTEN state (read from /proc/net/tcp, so no probe connection starts a server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** openbsd-inetd. */
export const INETD = '/usr/sbin/inetd';

function listening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'latin1')
    .split('\n')
    .some((l) => {
      const f = l.trim().split(/\s+/);
      return f[1]?.endsWith(`:${hex}`) === true && f[3] === '0A';
    });
}

/** See the file comment. */
export class InetdInstance {
  private constructor(
    private readonly child: ChildProcess,
    private readonly marker: string,
  ) {}

  /** Writes `lines` to DIR/inetd.conf, starts inetd and waits until `ports` listen. */
  static async start(dir: string, lines: readonly string[], ports: readonly number[]): Promise<InetdInstance> {
    const conf = join(dir, 'inetd.conf');
    writeFileSync(conf, lines.join('\n') + '\n');
    const child = spawn(INETD, ['-i', conf], { detached: true, stdio: 'ignore' });
    const instance = new InetdInstance(child, dir);
    const deadline = Date.now() + 10_000;
    while (!ports.every(listening)) {
      if (child.exitCode !== null) throw new Error(`inetd exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`inetd did not listen on ${ports.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return instance;
  }

  /** Stops inetd, then the servers it started for this test (found by the test directory in their argv). */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const gone = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
    }
    for (const pid of serversOf(this.marker)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

/** pids of processes whose command line mentions `marker`. */
export function serversOf(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(marker)) pids.push(Number(name));
    } catch {
      /* exited */
    }
  }
  return pids;
}

/** True when openbsd-inetd is installed. */
export function inetdAvailable(): boolean {
  return existsSync(INETD);
}
