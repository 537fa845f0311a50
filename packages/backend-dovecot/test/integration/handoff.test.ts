import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import {
  BackendError,
  CORE_OPTION_SPECS,
  DEFAULT_LIMITS,
  createLogger,
  validateOptions,
  type ISessionLauncher,
  type LaunchRequest,
  type LaunchResult,
  type Logger,
} from '@pigeondeliver/core';
import { DOVECOT_OPTION_SPECS, DovecotBackend } from '@pigeondeliver/backend-dovecot';
import { createMaildir, deliverMessage, maildirMessages, sampleMessage } from '@pigeondeliver/test-fixtures/maildir';
import { haveCommand, pythonImapSession, pythonPop3Session, rawSession, type RawSession } from '@pigeondeliver/test-fixtures/mail-clients';
import { startPreauthServer, testUserRecord, type PreauthServer } from '@pigeondeliver/test-fixtures/preauth-server';
import { dovecotInstance, HANDOFF_TEST_SHARDS, type DovecotInstance } from './handoff-dovecot-instance.js';

const UID_A = 24999;
const UID_B = 24998;
const isRoot = process.getuid?.() === 0;

/** Counts exec launches: handoff mode must not start any process itself. */
class CountingLauncher implements ISessionLauncher {
  launches = 0;
  launch(_request: LaunchRequest, _socket: Socket): Promise<LaunchResult> {
    this.launches++;
    return Promise.reject(new BackendError('exec launch not expected in this test'));
  }
}

/** Collects our log lines (JSON) for assertions. */
function memoryLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level: 'debug',
    name: 'test',
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        if (process.env.PD_TEST_LOG) process.stderr.write(line);
      },
    },
  });
  return { log, lines };
}

/** A forged hand-off from another process (Python): claims our pid, guesses id and cookie. */
const FORGER = `
import socket, struct, sys, os, json
path, pid, auth_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
a, b = socket.socketpair()
ino = os.fstat(b.fileno()).st_ino
data = b'forged\\0' + b'0x1\\0'
ip = struct.pack('=H2x16s', 2, bytes([127, 0, 0, 1]) + bytes(12))
req = struct.pack('=IiII16s', 7, pid, auth_id, pid, os.urandom(16)) + ip + ip + struct.pack('=HHII4xQ', 143, 5555, 0, len(data), ino) + data
s = socket.socket(socket.AF_UNIX)
s.connect(path)
socket.send_fds(s, [req], [b.fileno()])
b.close()
tag, status, mail_pid = struct.unpack('=IIi', s.recv(12))
a.settimeout(5)
print(json.dumps({'tag': tag, 'status': status, 'text': a.recv(4096).decode('latin1')}))
`;

function runForger(socketPath: string, pid: number, authId: number): Promise<{ tag: number; status: number; text: string }> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', FORGER, socketPath, String(pid), String(authId)], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`forger failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as { tag: number; status: number; text: string });
    });
  });
}

function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** pids of Dovecot's imap/pop3 processes that served `user` (its log prefix is `imap(user)<pid><session>`). */
function servingPids(dovecot: DovecotInstance, protocol: string, user: string): number[] {
  const re = new RegExp(`${protocol}\\(${user}\\)<(\\d+)>`, 'g');
  return [...new Set([...dovecot.log().matchAll(re)].map((m) => Number(m[1])))];
}

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('DovecotBackend handoff mode @integration', function () {
  this.timeout(60_000);
  let root: string;
  let authSocket: string;
  let dovecot: DovecotInstance;
  const backends: DovecotBackend[] = [];
  const servers: PreauthServer[] = [];
  const raws: RawSession[] = [];

  before(async function () {
    const missing = ['/usr/sbin/dovecot', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3'].filter((p) => !existsSync(p));
    if (!haveCommand('python3')) missing.push('python3');
    if (!isRoot) missing.push('root (a private Dovecot master runs as root)');
    if (missing.length > 0) {
      if (process.env.CI === 'true') throw new Error(`missing for the Dovecot handoff tests: ${missing.join(', ')}`);
      console.log(`    skipped: missing ${missing.join(', ')}`);
      this.skip();
    }
    root = mkdtempSync(join(tmpdir(), 'pd-handoff-'));
    chmodSync(root, 0o755);
    mkdirSync(join(root, 'homes'), { mode: 0o755 });
    authSocket = join(root, 'pd', 'auth-master');
    dovecot = dovecotInstance(join(root, 'dovecot'), authSocket, [UID_A, UID_B]);
    await dovecot.start();
  });

  after(async function () {
    for (const r of raws.splice(0)) r.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await Promise.all(backends.splice(0).map((b) => b.close()));
    await dovecot?.stop();
    if (root && !process.env.PD_KEEP) rmSync(root, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const r of raws.splice(0)) r.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await Promise.all(backends.splice(0).map((b) => b.close()));
  });

  function backend(extra: Record<string, string> = {}): { backend: DovecotBackend; launcher: CountingLauncher; lines: Record<string, unknown>[] } {
    const raw = Object.entries({
      dovecot_mode: 'handoff',
      dovecot_handoff_base_dir: dovecot.baseDir,
      dovecot_handoff_auth_socket: authSocket,
      dovecot_handoff_uids: `${UID_A},${UID_B}`,
      dovecot_handoff_pool_shards: String(HANDOFF_TEST_SHARDS),
      home_roots: join(root, 'homes'),
      first_valid_uid: '1000',
      ...extra,
    }).map(([key, value]) => ({ key, value, source: 'test' }));
    const options = validateOptions(raw, [...CORE_OPTION_SPECS, ...DOVECOT_OPTION_SPECS]);
    const limits = { ...DEFAULT_LIMITS, backendTimeout: 5000 };
    const launcher = new CountingLauncher();
    const { log, lines } = memoryLogger();
    const b = new DovecotBackend(options, limits, launcher, log);
    backends.push(b);
    return { backend: b, launcher, lines };
  }

  function user(login: string, uid = UID_A): { message: string; maildir: string } {
    const home = join(root, 'homes', login);
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, uid, uid);
    const maildir = join(home, 'Maildir');
    createMaildir(maildir, { uid, gid: uid });
    const message = sampleMessage(`for ${login}`);
    deliverMessage(maildir, message, { uid, gid: uid });
    return { message, maildir };
  }

  async function server(protocol: 'imap' | 'pop3', b: DovecotBackend, uidOf: (login: string) => number = () => UID_A): Promise<PreauthServer> {
    const s = await startPreauthServer({
      protocol,
      backend: b,
      user: (login) => testUserRecord({ login, uid: uidOf(login), gid: uidOf(login), home: join(root, 'homes', login) }),
    });
    servers.push(s);
    return s;
  }

  async function raw(port: number): Promise<RawSession> {
    const r = await rawSession(port);
    raws.push(r);
    return r;
  }

  it('passes the start-up checks (version, auth-master socket 0600, one self-test hand-off per pool)', async () => {
    const { backend: b, lines } = backend();
    expect(await b.ready()).to.deep.equal({ mode: 'handoff' });
    const { statSync } = await import('node:fs');
    expect(statSync(authSocket).mode & 0o777).to.equal(0o600);
    const selfTests = lines.filter((l) => l.msg === 'dovecot handoff mode ready');
    expect(selfTests).to.have.length(1);
    expect(dovecot.log()).to.match(/self-test/);
  });

  it('imaplib logs in through the hand-off and fetches the message; poplib reads and deletes one', async () => {
    const { message } = user('ann');
    const { backend: b, launcher } = backend();
    const s = await server('imap', b);
    expect(await pythonImapSession(s.port, 'ann')).to.deep.equal({ count: 1, body: crlf(message) });
    const pop = user('pat');
    const p = await server('pop3', b);
    const result = await pythonPop3Session(p.port, 'pat');
    expect(result.count).to.equal(1);
    expect(result.lines).to.deep.equal(pop.message.replace(/\n$/, '').split('\n'));
    await until('the DELE to reach the Maildir', () => maildirMessages(pop.maildir).length === 0);
    expect(launcher.launches).to.equal(0);
    expect(s.failures).to.deep.equal([]);
    expect(servingPids(dovecot, 'imap', 'ann')).to.have.length(1);
    expect(servingPids(dovecot, 'pop3', 'pat')).to.have.length(1);
  });

  it('one imap process serves several successive users (reuse), the pool\'s shards in turn, and Dovecot\'s auth process never starts', async () => {
    const { backend: b } = backend();
    const { log, lines } = memoryLogger();
    const s = await startPreauthServer({
      protocol: 'imap',
      backend: b,
      log,
      user: (login) => testUserRecord({ login, uid: UID_A, gid: UID_A, home: join(root, 'homes', login) }),
    });
    servers.push(s);
    const logins = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'];
    for (const login of logins) {
      user(login);
      expect((await pythonImapSession(s.port, login)).count).to.equal(1);
    }
    await until('the logouts in Dovecot\'s log', () => logins.every((l) => servingPids(dovecot, 'imap', l).length === 1));
    const pids = logins.map((l) => servingPids(dovecot, 'imap', l)[0]!);
    // Per shard process_min_avail = 1 and sequential sessions: at most two processes per shard, so
    // some pid served several users.
    expect(new Set(pids).size).to.be.lessThan(logins.length);
    const services = lines.filter((l) => l.msg === 'session handed to dovecot').map((l) => l.pool);
    expect(services).to.deep.equal(logins.map((_, i) => `imap-uid${UID_A}-s${(i % HANDOFF_TEST_SHARDS) + 1}`));
    expect(dovecot.children().map((c) => c.comm)).to.not.include('auth');
    expect(dovecot.log()).to.not.match(/dovecot: auth:/);
  });

  it('IMAP: LOGIN and SELECT in one write: the pipelined SELECT travels in the login request and is answered', async () => {
    user('pipe');
    const { backend: b } = backend();
    const s = await startPreauthServer({
      protocol: 'imap',
      backend: b,
      user: (login) => testUserRecord({ login, uid: UID_A, gid: UID_A, home: join(root, 'homes', login) }),
    });
    servers.push(s);
    const r = await raw(s.port);
    await r.waitFor(/^\* OK .*\r\n/);
    r.socket.write('a LOGIN pipe x\r\nb SELECT INBOX\r\n');
    const text = await r.waitFor(/\r\nb OK \[READ-WRITE\][^\r]*\r\n/);
    expect(text).to.match(/\r\na OK \[CAPABILITY [^\]]+\] Logged in\r\n/);
    expect(text).to.match(/\* 1 EXISTS\r\n/);
    r.socket.write('c LOGOUT\r\n');
    await r.waitFor(/c OK Logout/);
  });

  it('two uids go to two pools and neither process dies', async () => {
    user('ua', UID_A);
    user('ub', UID_B);
    const { backend: b } = backend();
    const uidOf = (login: string): number => (login === 'ub' ? UID_B : UID_A);
    const s = await server('imap', b, uidOf);
    for (const login of ['ua', 'ub', 'ua', 'ub']) expect((await pythonImapSession(s.port, login)).count).to.equal(1);
    await until('both users in the log', () => servingPids(dovecot, 'imap', 'ua').length > 0 && servingPids(dovecot, 'imap', 'ub').length > 0);
    const a = servingPids(dovecot, 'imap', 'ua');
    const bPids = servingPids(dovecot, 'imap', 'ub');
    expect(a.filter((p) => bPids.includes(p))).to.deep.equal([]);
    for (const pid of [...a, ...bPids]) expect(existsSync(`/proc/${pid}`), `process ${pid} alive`).to.equal(true);
    expect(dovecot.log()).to.not.match(/Fatal: set[ug]id/);
  });

  it('a forged hand-off from another process is refused: the client gets Dovecot\'s temporary failure, our log says why', async () => {
    const { backend: b, lines } = backend();
    await b.ready();
    const socketPath = join(dovecot.baseDir, 'login', `imap-uid${UID_A}-s1`);
    const forged = await runForger(socketPath, process.pid, 424242);
    expect(forged.status).to.equal(1);
    expect(forged.text).to.match(/^x1 NO \[UNAVAILABLE\] /);
    const refused = lines.find((l) => l.msg === 'auth-master: hand-off refused');
    expect(refused, 'refusal logged').to.not.equal(undefined);
    expect(refused!.reason).to.equal('unknown hand-off');
  });

  it('a user whose uid has no pool is refused (dovecot_handoff_other_uids=refuse) or exec\'d (exec)', async () => {
    const { backend: b, launcher } = backend({ dovecot_handoff_other_uids: 'refuse' });
    const s = await server('imap', b, () => 30000);
    const r = await raw(s.port);
    await r.waitFor(/^\* OK/);
    r.socket.write('a LOGIN stranger x\r\n');
    await r.waitFor(/a NO \[UNAVAILABLE\]/);
    expect(s.failures[0]!.message).to.match(/no Dovecot hand-off pool/);
    expect(launcher.launches).to.equal(0);

    await b.close();
    const other = backend({ dovecot_handoff_other_uids: 'exec' });
    const s2 = await server('imap', other.backend, () => 30000);
    const r2 = await raw(s2.port);
    await r2.waitFor(/^\* OK/);
    r2.socket.write('a LOGIN stranger x\r\n');
    await r2.waitFor(/a NO \[UNAVAILABLE\]/);
    expect(other.launcher.launches).to.equal(1);
  });

  it('survives a Dovecot restart (hand-offs meanwhile fail temporarily) and a restart of ours', async () => {
    user('rs');
    let current = backend();
    let s = await server('imap', current.backend);
    expect((await pythonImapSession(s.port, 'rs')).count).to.equal(1);
    await dovecot.stop();
    const r = await raw(s.port);
    await r.waitFor(/^\* OK/);
    r.socket.write('a LOGIN rs x\r\n');
    await r.waitFor(/a NO \[UNAVAILABLE\]/);
    await dovecot.start();
    expect((await pythonImapSession(s.port, 'rs')).count).to.equal(1);
    // Our side restarts: the old auth-master goes away, a new one takes the same path.
    await current.backend.close();
    await s.close();
    current = backend();
    expect(await current.backend.ready()).to.deep.equal({ mode: 'handoff' });
    s = await server('imap', current.backend);
    expect((await pythonImapSession(s.port, 'rs')).count).to.equal(1);
  });

  it('refuses an untested Dovecot version, or falls back to exec when configured to', async () => {
    const fake = join(root, 'fake-dovecot');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(fake, '#!/bin/sh\necho "2.9.0 (0000000000)"\n', { mode: 0o755 });
    const failed = backend({ dovecot_path: fake });
    const state = await failed.backend.ready();
    expect(state).to.include({ mode: 'failed' });
    expect((state as { reason: string }).reason).to.match(/Dovecot 2\.9\.0 is not a version the hand-off was tested with/);
    const fallback = backend({ dovecot_path: fake, dovecot_handoff_fallback: 'exec' });
    expect(await fallback.backend.ready()).to.include({ mode: 'exec' });
  });

  it('a pool shard count Dovecot was not configured with stops start-up, naming the socket and the option', async () => {
    const b = backend({ dovecot_handoff_pool_shards: String(HANDOFF_TEST_SHARDS + 1) });
    const state = await b.backend.ready();
    expect(state).to.include({ mode: 'failed' });
    const reason = (state as { reason: string }).reason;
    expect(reason).to.contain(`self-test hand-off to imap-uid${UID_A}-s${HANDOFF_TEST_SHARDS + 1} failed`);
    expect(reason).to.match(/No such file or directory.*dovecot_handoff_pool_shards/);
  });
});
