import { expect } from 'chai';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import {
  BackendError,
  CORE_OPTION_SPECS,
  DEFAULT_LIMITS,
  LocalSessionLauncher,
  createLogger,
  silentLogger,
  validateOptions,
  type ISessionLauncher,
  type LaunchRequest,
  type LaunchResult,
} from '@pigeondeliver/core';
import { DOVECOT_OPTION_SPECS, DovecotBackend } from '@pigeondeliver/backend-dovecot';
import { FAKE_EXIT_AT_ONCE } from '@pigeondeliver/test-fixtures/fake-binaries';
import { createMaildir, deliverMessage, maildirMessages, sampleMessage } from '@pigeondeliver/test-fixtures/maildir';
import {
  haveCommand,
  openDescriptorCount,
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
const IMAP = '/usr/lib/dovecot/imap';

/** Wraps a launcher to remember the pids it started. */
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

describe('DovecotBackend @integration', function () {
  let root: string;
  let cert: { key: string; cert: string };
  const servers: PreauthServer[] = [];
  const raws: RawSession[] = [];

  before(function () {
    const missing = [IMAP, '/usr/lib/dovecot/pop3', '/usr/bin/doveconf'].filter((p) => !existsSync(p));
    if (!haveCommand('python3')) missing.push('python3');
    if (!haveCommand('openssl', ['version'])) missing.push('openssl');
    if (missing.length > 0) {
      if (process.env.CI === 'true') throw new Error(`missing for the Dovecot tests: ${missing.join(', ')}`);
      console.log(`    skipped: missing ${missing.join(', ')} (apt-get install dovecot-imapd dovecot-pop3d python3 openssl)`);
      this.skip();
    }
    cert = selfSignedCertificate();
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pd-dovecot-'));
    chmodSync(root, 0o755);
  });

  afterEach(async () => {
    for (const r of raws.splice(0)) r.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    rmSync(root, { recursive: true, force: true });
  });

  function backend(extra: Record<string, string> = {}): { backend: DovecotBackend; launcher: RecordingLauncher } {
    const raw = Object.entries({ home_roots: root, ...extra }).map(([key, value]) => ({ key, value, source: 'test' }));
    const options = validateOptions(raw, [...CORE_OPTION_SPECS, ...DOVECOT_OPTION_SPECS]);
    const limits = { ...DEFAULT_LIMITS, backendTimeout: 5000 };
    const log = process.env.PD_TEST_LOG ? createLogger({ level: 'debug', name: 'test' }) : silentLogger();
    const launcher = new RecordingLauncher(new LocalSessionLauncher(options, limits, log));
    return { backend: new DovecotBackend(options, limits, launcher), launcher };
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

  async function server(protocol: 'imap' | 'pop3', b: DovecotBackend, tls = false): Promise<PreauthServer> {
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

  for (const mode of ['direct', 'doveconf'] as const) {
    it(`IMAP (${mode} mode): imaplib logs in, selects INBOX and fetches the message byte for byte`, async () => {
      const { message } = userWithMessage('alice');
        const s = await server('imap', backend({ dovecot_mode: mode }).backend);
      const result = await pythonImapSession(s.port, 'alice');
      expect(result.count).to.equal(1);
      expect(result.body).to.equal(crlf(message));
      expect(s.failures).to.deep.equal([]);
    });
  }

  it('POP3: poplib STAT, RETR, DELE, QUIT removes the message', async () => {
    const { maildir, message } = userWithMessage('bob');
    const s = await server('pop3', backend().backend);
    const result = await pythonPop3Session(s.port, 'bob');
    expect(result.count).to.equal(1);
    expect(result.lines).to.deep.equal(message.replace(/\n$/, '').split('\n'));
    expect(maildirMessages(maildir)).to.deep.equal([]);
  });

  it('IMAP: a LOGIN and a SELECT sent in one write are both answered (CLIENT_INPUT)', async () => {
    userWithMessage('carol');
    const s = await server('imap', backend().backend);
    const r = await raw(s.port);
    await r.waitFor(/^\* OK .*\r\n/);
    r.socket.write('a LOGIN carol secret\r\nb SELECT INBOX\r\n');
    const text = await r.waitFor(/\r\nb OK \[READ-WRITE\][^\r]*\r\n/);
    expect(text).to.match(/\r\na OK \[CAPABILITY [^\]]+\] Logged in\r\n/);
    expect(text).to.match(/\* 1 EXISTS\r\n/);
    r.socket.write('c LOGOUT\r\n');
    await r.waitFor(/c OK Logout/);
  });

  it('POP3: PASS and STAT sent in one write are both answered', async () => {
    userWithMessage('dave');
    const s = await server('pop3', backend().backend);
    const r = await raw(s.port);
    await r.waitFor(/^\+OK .*\r\n/);
    r.socket.write('USER dave\r\n');
    await r.waitFor(/\r\n\+OK\r\n$/);
    r.socket.write('PASS secret\r\nSTAT\r\n');
    const text = await r.waitFor(/\+OK 1 \d+\r\n/);
    expect(text).to.match(/\r\n\+OK\r\n\+OK\r\n\+OK 1 \d+\r\n$/);
    r.socket.write('QUIT\r\n');
    await r.waitFor(/Logging out/);
  });

  it('TLS: the session is relayed (imaplib over implicit TLS)', async () => {
    const { message } = userWithMessage('erin');
    const s = await server('imap', backend().backend, true);
    const result = await pythonImapSession(s.port, 'erin', true);
    expect(result).to.deep.equal({ count: 1, body: crlf(message) });
  });

  it('keeps no descriptor per handed-off session', async () => {
    const { backend: b } = backend({ backend_stderr: 'ignore' });
    const s = await server('imap', b);
    const N = 20;
    for (let i = 0; i < N; i++) userWithMessage(`fd${i}`);
    // Warm up once (lazy doveconf capture, first spawn), then measure.
    const warm = await raw(s.port);
    await warm.waitFor(/^\* OK/);
    warm.socket.write('a LOGIN fd0 x\r\n');
    await warm.waitFor(/a OK/);
    while (s.started < 1) await s.nextStart();
    const before = openDescriptorCount();
    const sessions: RawSession[] = [];
    for (let i = 1; i < N; i++) {
      const r = await raw(s.port);
      await r.waitFor(/^\* OK/);
      const started = s.nextStart();
      r.socket.write(`a LOGIN fd${i} x\r\n`);
      await r.waitFor(/a OK/);
      await started;
      sessions.push(r);
    }
    const after = openDescriptorCount();
    // Our own client sockets are in this process too: one each. Anything more would be the server's.
    expect(after - before - sessions.length).to.be.at.most(2);
    for (const r of sessions) r.socket.write('z LOGOUT\r\n');
    await Promise.all(sessions.map((r) => r.waitFor(/z OK/)));
  });

  it('first login creates the home (0700, the user\'s) and the backend runs as the user with no other groups', async function () {
    if (!isRoot) this.skip();
    const { backend: b, launcher } = backend();
    const s = await server('imap', b);
    const r = await raw(s.port);
    await r.waitFor(/^\* OK/);
    const started = s.nextStart();
    r.socket.write('a LOGIN newbie x\r\n');
    await r.waitFor(/a OK/);
    await started;
    const home = join(root, 'newbie');
    const st = statSync(home);
    expect(st.mode & 0o777).to.equal(0o700);
    expect([st.uid, st.gid]).to.deep.equal([UID, GID]);
    expect(statSync(join(home, 'Maildir', 'cur')).uid).to.equal(UID);
    const status = readFileSync(`/proc/${launcher.pids[0]}/status`, 'utf8');
    expect(/^Uid:\s+(.*)$/m.exec(status)![1]!.split(/\s+/)).to.deep.equal([String(UID), String(UID), String(UID), String(UID)]);
    expect(/^Gid:\s+(.*)$/m.exec(status)![1]!.split(/\s+/)).to.deep.equal([String(GID), String(GID), String(GID), String(GID)]);
    expect(/^Groups:[ \t]*(.*)$/m.exec(status)![1]!.trim()).to.equal('');
    r.socket.write('b LOGOUT\r\n');
    await r.waitFor(/b OK/);
  });

  it('a missing binary or a backend that exits at once is a BackendError and the client gets NO [UNAVAILABLE]', async () => {
    for (const path of [join(root, 'no-such-imap'), FAKE_EXIT_AT_ONCE]) {
      const s = await server('imap', backend({ dovecot_imap_path: path }).backend);
      const r = await raw(s.port);
      await r.waitFor(/^\* OK/);
      const t0 = Date.now();
      r.socket.write('a LOGIN frank x\r\n');
      await r.waitFor(/a NO \[UNAVAILABLE\]/);
      expect(Date.now() - t0).to.be.below(2000);
      expect(s.failures[0]).to.be.instanceOf(BackendError);
    }
  });

  it('a bad dovecot_config is a BackendError naming doveconf', async () => {
    const s = await server('imap', backend({ dovecot_config: join(root, 'missing.conf') }).backend);
    const r = await raw(s.port);
    await r.waitFor(/^\* OK/);
    r.socket.write('a LOGIN gina x\r\n');
    await r.waitFor(/a NO \[UNAVAILABLE\]/);
    expect(s.failures[0]!.message).to.match(/doveconf/);
  });
});
