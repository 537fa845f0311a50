/**
 * A private Postfix master for tests: its own config directory, queue, data and daemon directories
 * under a temp root (`master -c DIR -d`), so the system's Postfix (and /etc/postfix) is untouched.
 * Logs go to a maillog file through postlogd. `postfix -c DIR` is not used: it insists that the
 * default main.cf lists DIR in alternate_config_directories; `reload` is what `postfix reload` does
 * (SIGHUP to master), `stop` what `postfix stop` does (SIGTERM; master then signals its process group).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installWrapper, parseInstallArgv } from '@pigeondeliver/forker-postfix';

/** Where Debian keeps master and postlogd. */
export const POSTFIX_LIBEXEC = '/usr/lib/postfix/sbin';

/** See the file comment. */
export class PostfixInstance {
  private constructor(
    readonly dir: string,
    readonly maillog: string,
    private readonly master: ChildProcess,
  ) {}

  /** True when Postfix is installed. */
  static available(): boolean {
    return existsSync(join(POSTFIX_LIBEXEC, 'master')) && existsSync(join(POSTFIX_LIBEXEC, 'postlogd')) && existsSync('/usr/sbin/postlog');
  }

  /**
   * Writes main.cf/master.cf under `dir`, installs the pd-forker-postfix wrapper (with `config`) into
   * the private daemon_directory, starts master and waits for "daemon started".
   */
  static async start(dir: string, services: readonly string[], config: string): Promise<PostfixInstance> {
    const conf = join(dir, 'conf');
    const queue = join(dir, 'queue');
    const daemon = join(dir, 'libexec');
    for (const d of [conf, queue, join(queue, 'pid'), join(queue, 'public'), join(queue, 'private'), join(dir, 'data'), daemon]) mkdirSync(d, { recursive: true, mode: 0o755 });
    for (const d of [join(queue, 'public'), join(queue, 'private'), join(dir, 'data')]) chownSync(d, postfixUid(), postfixGid());
    copyFileSync(join(POSTFIX_LIBEXEC, 'postlogd'), join(daemon, 'postlogd'));
    installWrapper({ ...parseInstallArgv(['--daemon-directory', daemon, '--config', config]) });
    const maillog = join(dir, 'maillog');
    writeFileSync(
      join(conf, 'main.cf'),
      [
        'compatibility_level = 3.6',
        `queue_directory = ${queue}`,
        `data_directory = ${join(dir, 'data')}`,
        `daemon_directory = ${daemon}`,
        'inet_interfaces = loopback-only',
        'inet_protocols = ipv4',
        `maillog_file = ${maillog}`,
        `maillog_file_prefixes = ${dir}`,
        'myhostname = pd-test.localdomain',
        '',
      ].join('\n'),
    );
    writeFileSync(join(conf, 'master.cf'), ['postlog unix-dgram n - n - 1 postlogd', ...services, ''].join('\n'));
    // detached: master becomes its process group's leader, as under `postfix start` (its SIGTERM handler kills the group).
    const master = spawn(join(POSTFIX_LIBEXEC, 'master'), ['-c', conf, '-d'], { detached: true, stdio: 'ignore' });
    const instance = new PostfixInstance(dir, maillog, master);
    await instance.waitForLog(/daemon started/, 10_000);
    return instance;
  }

  /** The maillog text so far. */
  log(): string {
    return existsSync(this.maillog) ? readFileSync(this.maillog, 'utf8') : '';
  }

  /** Resolves with the log once `pattern` matches it (polled); rejects after `ms`. */
  async waitForLog(pattern: RegExp, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const text = this.log();
      if (pattern.test(text)) return text;
      if (this.master.exitCode !== null) throw new Error(`postfix master exited (${this.master.exitCode}); log:\n${text}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in the maillog:\n${text.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Rewrites master.cf (same fixed first line) and reloads. */
  rewriteServices(services: readonly string[]): void {
    writeFileSync(join(this.dir, 'conf', 'master.cf'), ['postlog unix-dgram n - n - 1 postlogd', ...services, ''].join('\n'));
  }

  /** `postfix reload`: SIGHUP to master. */
  reload(): void {
    this.master.kill('SIGHUP');
  }

  /** `postfix stop`, then SIGKILL to the group for anything left; resolves when master is gone. */
  async stop(): Promise<void> {
    const pid = this.master.pid!;
    if (this.master.exitCode === null && this.master.signalCode === null) {
      const gone = new Promise((r) => this.master.once('exit', r));
      this.master.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    }
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* group already empty */
    }
  }
}

function idOf(flag: '-u' | '-g'): number {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postfix:'));
  if (!line) throw new Error('no postfix user in /etc/passwd (apt-get install postfix)');
  return Number(line.split(':')[flag === '-u' ? 2 : 3]);
}
function postfixUid(): number {
  return idOf('-u');
}
function postfixGid(): number {
  return idOf('-g');
}
