/**
 * The whole product through the real daemon: pd-forker-listen with login-imap and login-pop3, the
 * embedded SQLite database, backend-dovecot and backend-courier (per-user backend column), real Python
 * clients, plaintext and implicit TLS. Needs root (backends run as the users) and the real servers.
 */
import { expect } from 'chai';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '@pigeondeliver/passwords';
import { openSqliteDatabase } from '@pigeondeliver/db-sqlite';
import { startDaemon, type RunningDaemon } from '@pigeondeliver/test-fixtures/daemon';
import { createMaildir, deliverMessage, maildirMessages, sampleMessage } from '@pigeondeliver/test-fixtures/maildir';
import { pythonImapSession, pythonPop3Session, rawSession, type RawSession } from '@pigeondeliver/test-fixtures/mail-clients';
import { testCertificates } from '@pigeondeliver/test-fixtures/certificates';
import { createTempDir, type TempDir } from '@pigeondeliver/test-fixtures/temp-dir';

const LISTEN_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const COURIER_IMAPD = '/opt/pigeondeliver/courier/usr/bin/imapd';
const NOBODY = 65534;
const users = {
  dove: { uid: 23401, gid: 23401, backend: 'backend-dovecot' },
  cour: { uid: 23402, gid: 23402, backend: 'backend-courier' },
};

/** Descriptors of a process (its sockets, pipes, files). */
function descriptors(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return 'gone';
    }
  });
}

/** Removes every message (the previous test's leftovers), keeping the folders. */
function emptyMaildir(maildir: string): void {
  for (const sub of ['new', 'cur']) for (const f of readdirSync(join(maildir, sub))) rmSync(join(maildir, sub, f));
}

/** The daemon's worker processes: its children that run Node (backends are children too, but not Node). */
function nodeChildren(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.filter((c) => {
    try {
      return readlinkSync(`/proc/${c}/exe`) === process.execPath;
    } catch {
      return false;
    }
  });
}

describe('pd-forker-listen with the real login services and backends @integration', function () {
  this.timeout(90_000);
  let dir: TempDir;
  let daemon: RunningDaemon;
  let daemonArgs: (listen: string) => string[];

  before(async function () {
    const missing = process.getuid?.() !== 0 ? 'root' : !existsSync('/usr/lib/dovecot/imap') ? 'Dovecot' : !existsSync(COURIER_IMAPD) ? 'Courier' : '';
    if (missing) {
      if (process.env['CI'] === 'true') throw new Error(`${missing} is required under CI=true`);
      console.log(`      skipped: needs ${missing}`);
      this.skip();
    }
    dir = createTempDir('pd-daemon-mail-');
    chmodSync(dir.path, 0o755);
    const homes = dir.mkdir('homes');
    chmodSync(homes, 0o755);
    const dbDir = dir.mkdir('db');
    const db = await openSqliteDatabase(join(dbDir, 'users.sqlite'));
    const password = await hashPassword('SHA512-CRYPT', 'secret');
    for (const [login, u] of Object.entries(users)) {
      await db.users.create({ login, password, uid: u.uid, gid: u.gid, home: join(homes, login), backend: u.backend });
      mkdirSync(join(homes, login), { mode: 0o700 });
      chownSync(join(homes, login), u.uid, u.gid);
      createMaildir(join(homes, login, 'Maildir'), u);
    }
    await db.close();
    // The workers (nobody) read the database.
    for (const f of readdirSync(dbDir)) chownSync(join(dbDir, f), NOBODY, NOBODY);
    chownSync(dbDir, NOBODY, NOBODY);
    // The workers (nobody here) read the certificate and key: an administrator makes them readable by
    // listen_user's group (docs/operations.md); here they are copied to a folder nobody can read.
    const certs = testCertificates();
    const certDir = dir.mkdir('tls');
    chmodSync(certDir, 0o755);
    const certPath = join(certDir, 'server.crt');
    const keyPath = join(certDir, 'server.key');
    copyFileSync(certs.serverCertPath, certPath);
    copyFileSync(certs.serverKeyPath, keyPath);
    chownSync(keyPath, 0, NOBODY);
    chmodSync(keyPath, 0o640);
    chmodSync(certPath, 0o644);
    daemonArgs = (listen: string) => [
      '-o', `listen=${listen}`,
      '-o', 'dscm_service=login-imap',
      '-o', `database_url=${join(dbDir, 'users.sqlite')}`,
      '-o', 'backend=backend-dovecot',
      '-o', 'backends=backend-courier',
      '-o', `home_roots=${homes}`,
      '-o', 'first_valid_uid=1000',
      '-o', 'listen_workers=1',
      '-o', `tls_cert=${certPath}`,
      '-o', `tls_key=${keyPath}`,
      '-o', 'log_level=info',
    ];    daemon = await startDaemon({ bin: LISTEN_BIN, args: daemonArgs('imap=127.0.0.1:0, imaps=127.0.0.1:0/tls, pop3=127.0.0.1:0, pop3s=127.0.0.1:0/tls') });
  });

  after(async () => {
    await daemon?.stop();
  });

  for (const tls of [false, true]) {
    const mode = tls ? 'implicit TLS (relayed)' : 'plaintext (the client socket itself)';
    for (const login of Object.keys(users) as (keyof typeof users)[]) {
      it(`IMAP over ${mode}: ${login} (${users[login].backend}) reads a message byte for byte`, async () => {
        const maildir = join(dir.path, 'homes', login, 'Maildir');
        emptyMaildir(maildir);
        const message = sampleMessage(`imap ${login} ${tls}`);
        deliverMessage(maildir, message, users[login]);
        const r = await pythonImapSession(daemon.port(tls ? 'imaps' : 'imap'), login, tls);
        expect(r.count).to.be.at.least(1);
        expect(r.body).to.equal(message.replace(/\r?\n/g, '\r\n'));
      });

      it(`POP3 over ${mode}: ${login} (${users[login].backend}) retrieves and deletes`, async () => {
        const maildir = join(dir.path, 'homes', login, 'Maildir');
        const before = maildirMessages(maildir).length;
        const message = sampleMessage(`pop3 ${login} ${tls}`);
        deliverMessage(maildir, message, users[login]);
        const r = await pythonPop3Session(daemon.port(tls ? 'pop3s' : 'pop3'), login, tls);
        expect(r.count).to.equal(before + 1);
        expect(r.lines).to.be.an('array').that.is.not.empty;
        // DELE 1 + QUIT removed exactly one message.
        expect(maildirMessages(maildir).length).to.equal(before);
      });
    }
  }

  it('keeps no descriptor per established plaintext session in the primary or the worker', async () => {
    const workerPids = nodeChildren(daemon.pid);
    expect(workerPids).to.have.length(1);
    const count = (): number => workerPids.reduce((n, p) => n + descriptors(p).length, 0) + descriptors(daemon.pid).length;
    const warm = await rawSession(daemon.port('imap'));
    await warm.waitFor(/^\* OK/);
    warm.socket.write('w1 LOGIN dove secret\r\n');
    await warm.waitFor(/w1 OK/);
    const before = count();
    const sessions: RawSession[] = [];
    for (let i = 0; i < 10; i++) {
      const s = await rawSession(daemon.port('imap'));
      await s.waitFor(/^\* OK/);
      s.socket.write(`a${i} LOGIN dove secret\r\nb${i} SELECT INBOX\r\n`);
      await s.waitFor(new RegExp(`b${i} OK`));
      sessions.push(s);
    }
    // The last launches may still be inside backend_exit_window (the launcher watches a new backend for
    // an immediate exit before it lets go of its copy of the socket): poll until they settle.
    let after = count();
    for (const deadline = Date.now() + 5000; after - before > 2 && Date.now() < deadline; after = count()) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Ten logged-in sessions, each answered by Dovecot on its own socket: nothing of ours in between.
    expect(after - before, 'descriptors added by 10 established sessions').to.be.at.most(2);
    for (const s of [warm, ...sessions]) s.close();
  });

  it('under systemd-socket-activate: imaplib reads a message through Dovecot on the passed socket', async function () {
    const ACTIVATE = '/usr/bin/systemd-socket-activate';
    if (!existsSync(ACTIVATE)) {
      if (process.env['CI'] === 'true') throw new Error(`${ACTIVATE} is required under CI=true (Debian package systemd)`);
      this.skip();
    }
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const starting = startDaemon({
      bin: LISTEN_BIN,
      args: daemonArgs('imap=systemd'),
      wrapper: [ACTIVATE, '-l', `127.0.0.1:${port}`, '--fdname=imap', '-E', 'PIGEONDELIVER_CONFIG=/dev/null', '-E', 'PATH'],
      readyTimeoutMs: 30_000, // the activator starts the daemon on the first connection
    });
    // Wait until the activator listens (a refused connect means not yet), which also triggers the start.
    for (const deadline = Date.now() + 10_000; ; ) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      });
      if (ok) break;
      if (Date.now() > deadline) throw new Error('systemd-socket-activate never listened');
      await new Promise((r) => setTimeout(r, 25));
    }
    const activated = await starting;
    try {
      expect(activated.logs.find((l) => l.msg === 'listening')?.systemd).to.equal(true);
      const maildir = join(dir.path, 'homes', 'dove', 'Maildir');
      emptyMaildir(maildir);
      const message = sampleMessage('socket activation');
      deliverMessage(maildir, message, users.dove);
      const r = await pythonImapSession(port, 'dove', false);
      expect(r.body).to.equal(message.replace(/\r?\n/g, '\r\n'));
    } finally {
      await activated.stop('SIGTERM');
    }
  });
});
