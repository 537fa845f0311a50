import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pythonImapSession, pythonPop3Session, rawSession, type RawSession } from '@pigeondeliver/test-fixtures/mail-clients';
import { createLoginFixture, crlf, freePort, loginRequirements, REPO_ROOT, requireEnvironment, SERVICE_UID, type LoginFixture } from '@pigeondeliver/test-fixtures/login-fixture';
import { InetdInstance, inetdAvailable, serversOf } from '../support/inetd-instance.js';

const BIN = resolve(REPO_ROOT, 'packages/forker-inetd/dist/bin.js');

interface LogLine {
  pid: number;
  msg: string;
  mode?: string;
  session?: string;
}

describe('pd-forker-inetd under a real openbsd-inetd @integration', function () {
  this.timeout(60_000);
  let fixture: LoginFixture | undefined;
  let inetd: InetdInstance | undefined;
  const raws: RawSession[] = [];
  const ports = { nowait: 0, wait: 0, quiet: 0, pop3: 0 };
  let messages: Record<string, string> = {};
  let logFile = '';

  before(async function () {
    requireEnvironment(this, { ...loginRequirements(), 'openbsd-inetd (apt-get install openbsd-inetd)': inetdAvailable() });
    fixture = await createLoginFixture({ inetd_user: `${SERVICE_UID}:${SERVICE_UID}`, inetd_idle_timeout: '2s' });
    messages = { alice: await fixture.addUser('alice'), bob: await fixture.addUser('bob') };
    logFile = join(fixture.root, 'inetd.log');
    for (const k of Object.keys(ports) as (keyof typeof ports)[]) ports[k] = await freePort();
    const cmd = (mode: string, extra: string): string =>
      `${process.execPath} node ${BIN} -c ${fixture!.configPath} ${extra}`.replace(/^/, `${mode} root `);
    inetd = await InetdInstance.start(
      fixture.root,
      [
        `127.0.0.1:${ports.nowait} stream tcp ${cmd('nowait', `-o dscm_service=login-imap -o inetd_log_file=${logFile}`)}`,
        `127.0.0.1:${ports.wait} stream tcp ${cmd('wait', `-o dscm_service=login-imap -o inetd_log_file=${logFile}`)}`,
        `127.0.0.1:${ports.quiet} stream tcp ${cmd('nowait', '-o dscm_service=login-imap -o log_level=trace')}`,
        `127.0.0.1:${ports.pop3} stream tcp ${cmd('wait', `-o dscm_service=login-pop3 -o inetd_log_file=${logFile}`)}`,
      ],
      Object.values(ports),
    );
  });

  afterEach(() => {
    for (const r of raws.splice(0)) r.close();
  });

  after(async () => {
    await inetd?.stop();
    fixture?.remove();
  });

  function logLines(): LogLine[] {
    try {
      return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine);
    } catch {
      return [];
    }
  }

  async function waitForLog(match: (l: LogLine) => boolean, ms = 5000): Promise<LogLine> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = logLines().find(match);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`log line not found; log:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('nowait: imaplib logs in and fetches through Dovecot, one process per connection', async () => {
    const first = await pythonImapSession(ports.nowait, 'alice');
    expect(first).to.deep.equal({ count: 1, body: crlf(messages.alice!) });
    const second = await pythonImapSession(ports.nowait, 'alice');
    expect(second.count).to.equal(1);
    await waitForLog((l) => l.msg === 'session handed to the backend' && logLines().filter((x) => x.msg === 'session handed to the backend').length >= 2);
    const pids = new Set(logLines().filter((l) => l.msg === 'connect' && l.mode === 'nowait').map((l) => l.pid));
    expect(pids.size).to.equal(2);
    expect(readFileSync(logFile, 'utf8')).not.to.include('secret');
  });

  it('wait: the process accepts several clients, then exits after inetd_idle_timeout; inetd starts a new one', async () => {
    await pythonImapSession(ports.wait, 'alice');
    await pythonImapSession(ports.wait, 'alice');
    const waitPids = (): number[] => [...new Set(logLines().filter((l) => l.msg === 'connect' && l.mode === 'wait').map((l) => l.pid))];
    const [pid] = waitPids();
    expect(waitPids()).to.have.length(1);
    await waitForLog((l) => l.pid === pid && l.msg.startsWith('idle: exiting'), 6000);
    const r = await pythonImapSession(ports.wait, 'alice');
    expect(r.count).to.equal(1);
    expect(waitPids()).to.have.length(2);
  });

  it('wait mode serves POP3 through Dovecot (poplib)', async () => {
    const r = await pythonPop3Session(ports.pop3, 'bob');
    expect(r.count).to.equal(1);
    expect(r.lines).to.deep.equal(messages.bob!.replace(/\n$/, '').split('\n'));
  });

  it('nowait: nothing but the protocol reaches the client, even at log_level=trace without a log file', async () => {
    const r = await rawSession(ports.quiet);
    raws.push(r);
    await r.waitFor(/^\* OK .*\r\n/, 10_000);
    r.socket.write('a CAPABILITY\r\nb LOGOUT\r\n');
    const text = await r.waitFor(/b OK .*\r\n/);
    for (const line of text.split('\r\n').filter(Boolean)) expect(line).to.match(/^(\* |a |b )/);
  });

  it('leaves no server process behind once clients are gone (nowait exits after its client)', async () => {
    const deadline = Date.now() + 5000;
    const nowaitServers = (): number[] => serversOf(fixture!.root).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('inetd_log_file') && !readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('/usr/sbin/inetd');
      } catch {
        return false;
      }
    });
    // Wait-mode servers may still be idling; nowait ones must be gone.
    while (Date.now() < deadline && logLines().filter((l) => l.mode === 'nowait').some((l) => nowaitServers().includes(l.pid))) await new Promise((r) => setTimeout(r, 50));
    const nowaitPids = new Set(logLines().filter((l) => l.mode === 'nowait').map((l) => l.pid));
    expect(nowaitServers().filter((p) => nowaitPids.has(p))).to.deep.equal([]);
  });
});
