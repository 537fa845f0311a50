import { expect } from 'chai';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import {
  BackendError,
  CORE_OPTION_SPECS,
  createLogger,
  DEFAULT_LIMITS,
  LocalSessionLauncher,
  silentLogger,
  validateOptions,
  type ISessionLauncher,
  type LaunchRequest,
  type LaunchResult,
} from '@pigeondeliver/core';
import { COURIER_OPTION_SPECS, CourierBackend } from '@pigeondeliver/backend-courier';
import { createMaildir, deliverMessage, maildirMessages, sampleMessage } from '@pigeondeliver/test-fixtures/maildir';
import {
  haveCommand,
  pythonImapSession,
  pythonPop3Session,
  rawSession,
  selfSignedCertificate,
  type RawSession,
} from '@pigeondeliver/test-fixtures/mail-clients';
import { startPreauthServer, testUserRecord, type PreauthServer } from '@pigeondeliver/test-fixtures/preauth-server';

const isRoot = process.getuid?.() === 0;
const UID = isRoot ? 12345 : process.getuid!();
const GID = isRoot ? 12345 : process.getgid!();
const PREFIX = process.env.COURIER_PREFIX ?? '/opt/pigeondeliver/courier';

class RecordingLauncher implements ISessionLauncher {
  readonly pids: number[] = [];
  constructor(private readonly inner: ISessionLauncher) {}
  async launch(request: LaunchRequest, socket: Socket): Promise<LaunchResult> {
    const result = await this.inner.launch(request, socket);
    this.pids.push(result.pid);
    return result;
  }
}

function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

describe('CourierBackend @integration', function () {
  let root: string;
  let cert: { key: string; cert: string };
  const servers: PreauthServer[] = [];
  const raws: RawSession[] = [];

  before(function () {
    const missing = [join(PREFIX, 'usr/bin/imapd'), join(PREFIX, 'usr/lib/courier/courier/courierpop3d'), join(PREFIX, 'etc/courier/imapd')].filter(
      (p) => !existsSync(p),
    );
    if (!haveCommand('python3')) missing.push('python3');
    if (!haveCommand('openssl', ['version'])) missing.push('openssl');
    if (missing.length > 0) {
      if (process.env.CI === 'true') throw new Error(`missing for the Courier tests: ${missing.join(', ')}`);
      console.log(`    skipped: missing ${missing.join(', ')} (run scripts/install-courier.sh as root)`);
      this.skip();
    }
    cert = selfSignedCertificate();
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pd-courier-'));
    chmodSync(root, 0o755);
  });

  afterEach(async () => {
    for (const r of raws.splice(0)) r.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    rmSync(root, { recursive: true, force: true });
  });

  function backend(extra: Record<string, string> = {}): { backend: CourierBackend; launcher: RecordingLauncher } {
    const raw = Object.entries({ home_roots: root, courier_prefix: PREFIX, ...extra }).map(([key, value]) => ({ key, value, source: 'test' }));
    const options = validateOptions(raw, [...CORE_OPTION_SPECS, ...COURIER_OPTION_SPECS]);
    const limits = { ...DEFAULT_LIMITS, backendTimeout: 5000 };
    const log = process.env.PD_TEST_LOG ? createLogger({ level: 'debug', name: 'test' }) : silentLogger();
    const launcher = new RecordingLauncher(new LocalSessionLauncher(options, limits, log));
    return { backend: new CourierBackend(options, limits, launcher), launcher };
  }

  function userWithMessage(login: string): { home: string; maildir: string; message: string } {
    const home = join(root, login);
    mkdirSync(home, { mode: 0o700 });
    if (isRoot) chownSync(home, UID, GID);
    createMaildir(join(home, 'Maildir'), { uid: UID, gid: GID });
    const message = sampleMessage(`for ${login}`);
    deliverMessage(join(home, 'Maildir'), message, { uid: UID, gid: GID });
    return { home, maildir: join(home, 'Maildir'), message };
  }

  async function server(protocol: 'imap' | 'pop3', b: CourierBackend, tls = false): Promise<PreauthServer> {
    const s = await startPreauthServer({
      protocol,
      backend: b,
      user: (login) => testUserRecord({ login, uid: UID, gid: GID, home: join(root, login) }),
      tls: tls ? cert : undefined,
    });
    servers.push(s);
    return s;
  }

  async function raw(port: number): Promise<RawSession> {
    const r = await rawSession(port);
    raws.push(r);
    return r;
  }

  it('IMAP: imaplib logs in, selects INBOX and fetches the message byte for byte', async () => {
    const { message } = userWithMessage('alice');
    const s = await server('imap', backend().backend);
    const result = await pythonImapSession(s.port, 'alice');
    expect(result).to.deep.equal({ count: 1, body: crlf(message) });
    expect(s.failures).to.deep.equal([]);
  });

  it('POP3: poplib STAT, RETR, DELE, QUIT removes the message', async () => {
    const { maildir, message } = userWithMessage('bob');
    const s = await server('pop3', backend().backend);
    const result = await pythonPop3Session(s.port, 'bob');
    expect(result.count).to.equal(1);
    expect(result.lines).to.deep.equal(message.replace(/\n$/, '').split('\n'));
    expect(maildirMessages(maildir)).to.deep.equal([]);
  });

  it('IMAP: a LOGIN and a SELECT sent in one write are both answered (relayed)', async () => {
    userWithMessage('carol');
    const s = await server('imap', backend().backend);
    const r = await raw(s.port);
    await r.waitFor(/^\* OK .*\r\n/);
    r.socket.write('a LOGIN carol secret\r\nb SELECT INBOX\r\n');
    const text = await r.waitFor(/\r\nb OK \[READ-WRITE\][^\r]*\r\n/);
    expect(text).to.match(/\r\na OK LOGIN Ok\.\r\n/);
    expect(text).to.match(/\* 1 EXISTS\r\n/);
    r.socket.write('c LOGOUT\r\n');
    await r.waitFor(/c OK LOGOUT/);
  });

  it('POP3: PASS and STAT sent in one write are both answered (relayed)', async () => {
    userWithMessage('dave');
    const s = await server('pop3', backend().backend);
    const r = await raw(s.port);
    await r.waitFor(/^\+OK .*\r\n/);
    r.socket.write('USER dave\r\n');
    await r.waitFor(/\r\n\+OK\r\n$/);
    r.socket.write('PASS secret\r\nSTAT\r\n');
    const text = await r.waitFor(/\+OK 1 \d+\r\n/);
    expect(text).to.match(/\+OK logged in\.\r\n\+OK 1 \d+\r\n$/);
    r.socket.write('QUIT\r\n');
    await r.waitFor(/\+OK Bye/);
  });

  for (const protocol of ['imap', 'pop3'] as const) {
    it(`TLS: the ${protocol} session is relayed over a Unix socket pair`, async () => {
      const { message } = userWithMessage('erin');
      const s = await server(protocol, backend().backend, true);
      if (protocol === 'imap') expect(await pythonImapSession(s.port, 'erin', true)).to.deep.equal({ count: 1, body: crlf(message) });
      else expect((await pythonPop3Session(s.port, 'erin', true)).lines).to.deep.equal(message.replace(/\n$/, '').split('\n'));
    });
  }

  it("first login creates the home and Maildir (0700, the user's) and imapd runs as the user", async function () {
    if (!isRoot) this.skip();
    const { backend: b, launcher } = backend();
    const s = await server('imap', b);
    const r = await raw(s.port);
    await r.waitFor(/^\* OK/);
    const started = s.nextStart();
    r.socket.write('a LOGIN newbie x\r\n');
    await r.waitFor(/a OK LOGIN/);
    await started;
    const home = join(root, 'newbie');
    const st = statSync(home);
    expect(st.mode & 0o777).to.equal(0o700);
    expect([st.uid, st.gid]).to.deep.equal([UID, GID]);
    expect(statSync(join(home, 'Maildir', 'new')).uid).to.equal(UID);
    const status = readFileSync(`/proc/${launcher.pids[0]}/status`, 'utf8');
    expect(/^Uid:\s+(\d+)/m.exec(status)![1]).to.equal(String(UID));
    expect(/^Gid:\s+(\d+)/m.exec(status)![1]).to.equal(String(GID));
    expect(/^Groups:[ \t]*(.*)$/m.exec(status)![1]!.trim()).to.equal('');
    r.socket.write('b LOGOUT\r\n');
    await r.waitFor(/b OK/);
  });

  it('a missing imapd is a BackendError and the client gets NO [UNAVAILABLE]', async () => {
    const s = await server('imap', backend({ courier_imapd_path: join(root, 'no-imapd') }).backend);
    const r = await raw(s.port);
    await r.waitFor(/^\* OK/);
    r.socket.write('a LOGIN frank x\r\n');
    await r.waitFor(/a NO \[UNAVAILABLE\]/);
    expect(s.failures[0]).to.be.instanceOf(BackendError);
  });
});
