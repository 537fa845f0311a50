/**
 * A private Dovecot 2.3 master for the handoff tests: own base_dir under a temporary directory,
 * 127.0.0.1 only, no pre-login listeners (port 0), the generated hand-off services for the given
 * uids, started with `dovecot -c` and stopped with `dovecot -c ... stop`. Needs root.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDovecotHandoffConfig, poolShardServiceNames } from '@pigeondeliver/backend-dovecot';

/** Services per pool in these tests (dovecot_handoff_pool_shards of the backends under test). */
export const HANDOFF_TEST_SHARDS = 2;

/** A running instance. */
export interface DovecotInstance {
  readonly dir: string;
  readonly baseDir: string;
  readonly configPath: string;
  readonly logPath: string;
  /** The master's pid (from base_dir/master.pid). */
  masterPid(): number;
  /** Dovecot's log so far. */
  log(): string;
  /** Children of the master by process name (`imap`, `auth`, ...). */
  children(): { pid: number; comm: string }[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Writes the configuration (not started yet). */
export function dovecotInstance(dir: string, authSocket: string, uids: readonly number[]): DovecotInstance {
  const baseDir = join(dir, 'run');
  const configPath = join(dir, 'dovecot.conf');
  const logPath = join(dir, 'dovecot.log');
  mkdirSync(join(dir, 'state'), { recursive: true });
  writeFileSync(join(dir, 'empty.passwd'), '');
  const minUid = Math.min(...uids);
  const maxUid = Math.max(...uids);
  writeFileSync(
    configPath,
    [
      `instance_name = pdtest${process.pid}`,
      `base_dir = ${baseDir}`,
      `state_dir = ${join(dir, 'state')}`,
      'protocols = imap pop3',
      'listen = 127.0.0.1',
      'ssl = no',
      `log_path = ${logPath}`,
      'mail_location = maildir:~/Maildir',
      `first_valid_uid = ${minUid}`,
      `last_valid_uid = ${maxUid}`,
      `first_valid_gid = ${minUid}`,
      'namespace inbox {\n  inbox = yes\n  separator = /\n}',
      `passdb {\n  driver = passwd-file\n  args = ${join(dir, 'empty.passwd')}\n}`,
      `userdb {\n  driver = passwd-file\n  args = ${join(dir, 'empty.passwd')}\n}`,
      'service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}',
      'service pop3-login {\n  inet_listener pop3 {\n    port = 0\n  }\n  inet_listener pop3s {\n    port = 0\n  }\n}',
      generateDovecotHandoffConfig({ authSocket, uids, processMinAvail: 2, processLimit: 8, shards: HANDOFF_TEST_SHARDS }),
    ].join('\n'),
  );
  const pidFile = join(baseDir, 'master.pid');
  const instance: DovecotInstance = {
    dir,
    baseDir,
    configPath,
    logPath,
    masterPid: () => Number(readFileSync(pidFile, 'utf8').trim()),
    log: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
    children: () => {
      const master = instance.masterPid();
      const out: { pid: number; comm: string }[] = [];
      for (const name of readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        try {
          const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
          const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          if (ppid === master) out.push({ pid: Number(name), comm });
        } catch {
          // gone meanwhile
        }
      }
      return out;
    },
    async start() {
      // The master daemonizes and keeps inherited descriptors: no pipes, or execFileSync waits for them.
      execFileSync('/usr/sbin/dovecot', ['-c', configPath], { stdio: 'ignore' });
      const sockets = uids
        .flatMap((u) => [...poolShardServiceNames('imap', u, HANDOFF_TEST_SHARDS), ...poolShardServiceNames('pop3', u, HANDOFF_TEST_SHARDS)])
        .map((s) => join(baseDir, 'login', s));
      await until('Dovecot login sockets', () => sockets.every((s) => existsSync(s)));
    },
    async stop() {
      if (!existsSync(pidFile)) return;
      const pid = instance.masterPid();
      try {
        execFileSync('/usr/sbin/dovecot', ['-c', configPath, 'stop'], { stdio: 'ignore' });
      } catch {
        process.kill(pid, 'SIGTERM');
      }
      await until('Dovecot to stop', () => !existsSync(`/proc/${pid}`));
    },
  };
  return instance;
}
