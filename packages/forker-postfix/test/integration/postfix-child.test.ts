import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { pythonImapSession, pythonPop3Session, rawSession, type RawSession } from '@pigeondeliver/test-fixtures/mail-clients';
import { createLoginFixture, crlf, freePort, loginRequirements, requireEnvironment, SERVICE_UID, type LoginFixture } from '@pigeondeliver/test-fixtures/login-fixture';
import { PostfixInstance } from '../support/postfix-instance.js';

/** pids of pd-forker-postfix processes named in log lines matching `pattern`. */
function pidsIn(log: string, pattern: RegExp): number[] {
  const pids = new Set<number>();
  for (const line of log.split('\n')) {
    if (!pattern.test(line)) continue;
    const m = / pid=(\d+)/.exec(line);
    if (m) pids.add(Number(m[1]));
  }
  return [...pids];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('pd-forker-postfix under a real Postfix master @integration', function () {
  this.timeout(60_000);
  let fixture: LoginFixture | undefined;
  let postfix: PostfixInstance | undefined;
  const raws: RawSession[] = [];
  const ports = { imap: 0, pop3: 0, one: 0, broken: 0 };
  let messages: Record<string, string> = {};

  before(async function () {
    requireEnvironment(this, { ...loginRequirements(), 'Postfix (apt-get install postfix)': PostfixInstance.available() });
    fixture = await createLoginFixture({ postfix_user: `${SERVICE_UID}:${SERVICE_UID}` });
    messages = { alice: await fixture.addUser('alice'), bob: await fixture.addUser('bob'), carol: await fixture.addUser('carol') };
    for (const k of Object.keys(ports) as (keyof typeof ports)[]) ports[k] = await freePort();
    postfix = await PostfixInstance.start(
      fixture.root,
      [
        `127.0.0.1:${ports.imap} inet n - n - 2 pd-forker-postfix -o dscm_service=login-imap`,
        `127.0.0.1:${ports.pop3} inet n - n - 2 pd-forker-postfix -odscm_service=login-pop3 -o postfix_model=resident -o max_use=2 -o max_idle=30`,
        `127.0.0.1:${ports.one} inet n - n - 1 pd-forker-postfix -o dscm_service=login-imap`,
        `127.0.0.1:${ports.broken} inet n - n - 1 pd-forker-postfix -o dscm_service=login-nope`,
      ],
      fixture.configPath,
    );
  });

  afterEach(() => {
    for (const r of raws.splice(0)) r.close();
  });

  after(async () => {
    await postfix?.stop();
    fixture?.remove();
  });

  async function raw(port: number): Promise<RawSession> {
    const r = await rawSession(port);
    raws.push(r);
    return r;
  }

  it('imaplib logs in and fetches the message through Dovecot; log lines carry the service tag and our pid', async () => {
    const result = await pythonImapSession(ports.imap, 'alice');
    expect(result).to.deep.equal({ count: 1, body: crlf(messages.alice!) });
    const log = await postfix!.waitForLog(/postfix\/login-imap\[\d+\]: session handed to the backend .*user=alice/);
    expect(log).to.match(new RegExp(`postfix/login-imap\\[\\d+\\]: connect pid=\\d+ session=\\S+ remote=127\\.0\\.0\\.1:\\d+ service=127\\.0\\.0\\.1:${ports.imap} `));
    expect(log).to.match(/postfix\/login-imap\[\d+\]: ready .*model=single .*euid=12346/);
    expect(log).not.to.match(/secret/);
  });

  it('poplib (-odscm_service= spelling, resident model): one process serves max_use=2 clients, the third gets a new one', async () => {
    for (const login of ['bob', 'carol']) {
      const r = await pythonPop3Session(ports.pop3, login);
      expect(r.count).to.equal(1);
      expect(r.lines).to.deep.equal(messages[login]!.replace(/\n$/, '').split('\n'));
    }
    let log = await postfix!.waitForLog(/stopping .*max_use 2 reached/);
    const first = pidsIn(log, /postfix\/login-pop3\[\d+\]: connect /);
    expect(first).to.have.length(1);
    const r = await pythonPop3Session(ports.pop3, 'bob');
    expect(r.count).to.equal(0); // bob's message was deleted by the first session
    log = postfix!.log();
    const all = pidsIn(log, /postfix\/login-pop3\[\d+\]: connect /);
    expect(all).to.have.length(2);
  });

  it('maxproc=1: a second client gets no greeting until the first is done (TAKEN on fd 5)', async () => {
    const a = await raw(ports.one);
    await a.waitFor(/^\* OK .*\r\n/, 10_000);
    const b = await raw(ports.one);
    // Negative check: the greeting must not come while A holds the only process.
    await new Promise((r) => setTimeout(r, 1500));
    expect(b.text()).to.equal('');
    a.socket.write('a LOGOUT\r\n');
    await a.waitFor(/a OK/);
    await b.waitFor(/^\* OK .*\r\n/, 10_000);
    b.socket.write('b LOGIN alice secret\r\nc SELECT INBOX\r\n');
    await b.waitFor(/c OK \[READ-WRITE\]/, 10_000);
  });

  it('master restarts a killed child without throttling the service', async () => {
    const a = await raw(ports.imap);
    await a.waitFor(/^\* OK .*\r\n/, 10_000);
    a.socket.write('x NOOP\r\n');
    await a.waitFor(/x OK/);
    const log = await postfix!.waitForLog(/command="x NOOP"/);
    const line = log.split('\n').reverse().find((l) => l.includes('command="x NOOP"'))!;
    const pid = Number(/ pid=(\d+)/.exec(line)![1]);
    process.kill(pid, 'SIGKILL');
    await a.waitFor(/$^/, 5000).catch(() => undefined); // the connection ends with the process
    await postfix!.waitForLog(new RegExp(`pid ${pid} killed by signal 9`));
    const result = await pythonImapSession(ports.imap, 'alice');
    expect(result.count).to.equal(1);
    expect(postfix!.log()).not.to.match(new RegExp(`127\\.0\\.0\\.1:${ports.imap}.*throttling|pd-forker-postfix: bad command startup`));
  });

  it('postfix reload keeps pre-login and handed-off sessions; new clients get new processes', async () => {
    const pre = await raw(ports.imap);
    await pre.waitFor(/^\* OK .*\r\n/, 10_000);
    const done = await raw(ports.imap);
    await done.waitFor(/^\* OK .*\r\n/, 10_000);
    done.socket.write('d LOGIN alice secret\r\n');
    await done.waitFor(/d OK/, 10_000);
    const before = postfix!.log().length;
    postfix!.reload();
    await postfix!.waitForLog(/reload -- version/);
    pre.socket.write('p LOGIN alice secret\r\np2 SELECT INBOX\r\n');
    await pre.waitFor(/p2 OK \[READ-WRITE\]/, 10_000);
    done.socket.write('d2 SELECT INBOX\r\n');
    await done.waitFor(/d2 OK \[READ-WRITE\]/, 10_000);
    const result = await pythonImapSession(ports.imap, 'alice');
    expect(result.count).to.equal(1);
    expect(postfix!.log().slice(before)).not.to.match(/panic|fatal/);
  });

  it('a startup error (unknown login service) is logged as fatal and master throttles the service', async () => {
    const c = await raw(ports.broken);
    const log = await postfix!.waitForLog(/bad command startup -- throttling/, 15_000);
    expect(log).to.match(/postfix\/login-nope\[\d+\]: fatal: pd-forker-postfix: .*login-nope/);
    c.close();
  });

  it('postfix stop ends every child', async () => {
    const r = await raw(ports.imap);
    await r.waitFor(/^\* OK .*\r\n/, 10_000);
    const log = postfix!.log();
    const pids = pidsIn(log, /: (ready|connect) /);
    await postfix!.stop();
    await r.waitFor(/\* BYE/, 5000).catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    expect(pids.filter(alive)).to.deep.equal([]);
    expect(execFileSync('ps', ['-eo', 'args']).toString()).not.to.include(`${fixture!.root}/libexec/pd-forker-postfix`);
  });
});
