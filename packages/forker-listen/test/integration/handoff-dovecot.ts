/**
 * A private Dovecot 2.3 master for the daemon's handoff test (minimal copy of backend-dovecot's
 * test/integration/handoff-dovecot-instance.ts, which is not importable across packages): own base_dir,
 * 127.0.0.1, no pre-login listeners (port 0), the generated hand-off services for `uids`. Needs root.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDovecotHandoffConfig, poolShardServiceNames } from '@pigeondeliver/backend-dovecot';

/** Services per pool in these tests (dovecot_handoff_pool_shards of the daemon under test). */
export const HANDOFF_TEST_SHARDS = 3;

/** A running instance. */
export interface HandoffDovecot {
  readonly baseDir: string;
  /** Dovecot's log so far. */
  log(): string;
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
export function handoffDovecot(dir: string, authSocket: string, uids: readonly number[], login?: { group: string; dir: string }): HandoffDovecot {
  const baseDir = join(dir, 'run');
  const configPath = join(dir, 'dovecot.conf');
  const logPath = join(dir, 'dovecot.log');
  mkdirSync(join(dir, 'state'), { recursive: true });
  writeFileSync(join(dir, 'empty.passwd'), '');
  writeFileSync(
    configPath,
    [
      `instance_name = pdlisten${process.pid}${login ? 'direct' : ''}`,
      `base_dir = ${baseDir}`,
      `state_dir = ${join(dir, 'state')}`,
      'protocols = imap pop3',
      'listen = 127.0.0.1',
      'ssl = no',
      `log_path = ${logPath}`,
      'mail_location = maildir:~/Maildir',
      `first_valid_uid = ${Math.min(...uids)}`,
      `last_valid_uid = ${Math.max(...uids)}`,
      `first_valid_gid = ${Math.min(...uids)}`,
      'namespace inbox {\n  inbox = yes\n  separator = /\n}',
      `passdb {\n  driver = passwd-file\n  args = ${join(dir, 'empty.passwd')}\n}`,
      `userdb {\n  driver = passwd-file\n  args = ${join(dir, 'empty.passwd')}\n}`,
      'service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}',
      'service pop3-login {\n  inet_listener pop3 {\n    port = 0\n  }\n  inet_listener pop3s {\n    port = 0\n  }\n}',
      generateDovecotHandoffConfig({ authSocket, uids, processMinAvail: 1, processLimit: 8, loginGroup: login?.group, loginDir: login?.dir, shards: HANDOFF_TEST_SHARDS }),
    ].join('\n'),
  );
  const pidFile = join(baseDir, 'master.pid');
  return {
    baseDir,
    log: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
    async start() {
      // The master daemonizes and keeps inherited descriptors: no pipes, or execFileSync waits for them.
      execFileSync('/usr/sbin/dovecot', ['-c', configPath], { stdio: 'ignore' });
      const sockets = uids
        .flatMap((u) => [...poolShardServiceNames('imap', u, HANDOFF_TEST_SHARDS), ...poolShardServiceNames('pop3', u, HANDOFF_TEST_SHARDS)])
        .map((s) => join(login?.dir ?? join(baseDir, 'login'), s));
      await until('Dovecot login sockets', () => sockets.every((s) => existsSync(s)));
    },
    async stop() {
      if (!existsSync(pidFile)) return;
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      try {
        execFileSync('/usr/sbin/dovecot', ['-c', configPath, 'stop'], { stdio: 'ignore' });
      } catch {
        process.kill(pid, 'SIGTERM');
      }
      await until('Dovecot to stop', () => !existsSync(`/proc/${pid}`));
    },
  };
}
