/**
 * Dovecot handoff mode through the real daemon, both ways a worker gets a session to Dovecot:
 * - root-only login sockets (decision 0007 §4): the workers delegate each hand-off with the client
 *   socket (or their end of a TLS relay pair) to the root primary, which hosts the one auth-master;
 * - login sockets of the workers' group (decision 0007 §5): after the first delegated hand-off the
 *   workers register each hand-off with the primary and send the descriptor themselves.
 * Python's imaplib and poplib log in and read a message; one reused imap process serves successive
 * logins; nothing is exec'd. Needs root, Dovecot and python3.
 */
import { expect } from 'chai';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '@pigeondeliver/passwords';
import { openSqliteDatabase } from '@pigeondeliver/db-sqlite';
import { startDaemon, type RunningDaemon } from '@pigeondeliver/test-fixtures/daemon';
import { createMaildir, deliverMessage, sampleMessage } from '@pigeondeliver/test-fixtures/maildir';
import { haveCommand, pythonImapSession, pythonPop3Session } from '@pigeondeliver/test-fixtures/mail-clients';
import { testCertificates } from '@pigeondeliver/test-fixtures/certificates';
import { createTempDir, type TempDir } from '@pigeondeliver/test-fixtures/temp-dir';
import { HANDOFF_TEST_SHARDS, handoffDovecot, type HandoffDovecot } from './handoff-dovecot.js';

const LISTEN_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const NOBODY = 65534;
const UID = 24997;

/** pids of Dovecot's imap processes that served `user` (log prefix `imap(user)<pid><session>`). */
function servingPids(dovecot: HandoffDovecot, user: string): number[] {
  const re = new RegExp(`imap\\(${user}\\)<(\\d+)>`, 'g');
  return [...new Set([...dovecot.log().matchAll(re)].map((m) => Number(m[1])))];
}

/** The group of `nobody` (the workers' user here): `nogroup` on Debian. */
const NOBODY_GROUP = 'nogroup';

for (const variant of ['delegated', 'direct'] as const) describe(`pd-forker-listen with dovecot_mode=handoff, ${variant} hand-offs @integration`, function () {
  this.timeout(90_000);
  let dir: TempDir;
  let dovecot: HandoffDovecot;
  let daemon: RunningDaemon;
  let maildir: string;

  before(async function () {
    const missing = ['/usr/sbin/dovecot', '/usr/lib/dovecot/imap'].filter((p) => !existsSync(p));
    if (!haveCommand('python3')) missing.push('python3');
    if (process.getuid?.() !== 0) missing.push('root');
    if (missing.length > 0) {
      if (process.env['CI'] === 'true') throw new Error(`missing for the daemon handoff test: ${missing.join(', ')}`);
      console.log(`      skipped: needs ${missing.join(', ')}`);
      this.skip();
    }
    dir = createTempDir('pd-listen-handoff-');
    chmodSync(dir.path, 0o755);
    const authSocket = join(dir.path, 'pd', 'auth-master');
    // Direct: the pools' login sockets in a directory the workers (nobody) can traverse, of their group.
    const loginDir = join(dir.path, 'login');
    if (variant === 'direct') mkdirSync(loginDir, { mode: 0o755 });
    dovecot = handoffDovecot(dir.mkdir('dovecot'), authSocket, [UID], variant === 'direct' ? { group: NOBODY_GROUP, dir: loginDir } : undefined);
    await dovecot.start();
    const homes = dir.mkdir('homes');
    chmodSync(homes, 0o755);
    const dbDir = dir.mkdir('db');
    const db = await openSqliteDatabase(join(dbDir, 'users.sqlite'));
    await db.users.create({ login: 'hann', password: await hashPassword('SHA512-CRYPT', 'secret'), uid: UID, gid: UID, home: join(homes, 'hann') });
    await db.close();
    for (const f of readdirSync(dbDir)) chownSync(join(dbDir, f), NOBODY, NOBODY);
    chownSync(dbDir, NOBODY, NOBODY);
    mkdirSync(join(homes, 'hann'), { mode: 0o700 });
    chownSync(join(homes, 'hann'), UID, UID);
    maildir = join(homes, 'hann', 'Maildir');
    createMaildir(maildir, { uid: UID, gid: UID });
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
    daemon = await startDaemon({
      bin: LISTEN_BIN,
      args: [
        '-o', 'listen=imap=127.0.0.1:0, imaps=127.0.0.1:0/tls, pop3=127.0.0.1:0/service=login-pop3',
        '-o', 'dscm_service=login-imap',
        '-o', `database_url=${join(dbDir, 'users.sqlite')}`,
        '-o', 'backend=backend-dovecot',
        '-o', 'dovecot_mode=handoff',
        '-o', `dovecot_handoff_base_dir=${dovecot.baseDir}`,
        '-o', `dovecot_handoff_auth_socket=${authSocket}`,
        '-o', `dovecot_handoff_uids=${UID}`,
        '-o', `dovecot_handoff_pool_shards=${HANDOFF_TEST_SHARDS}`,
        ...(variant === 'direct' ? ['-o', `dovecot_handoff_login_dir=${loginDir}`] : []),
        '-o', `home_roots=${homes}`,
        '-o', 'first_valid_uid=1000',
        '-o', 'listen_workers=2',
        '-o', `tls_cert=${certPath}`,
        '-o', `tls_key=${keyPath}`,
        '-o', 'log_level=info',
      ],
    });
  });

  after(async () => {
    await daemon?.stop();
    await dovecot?.stop();
  });

  it('imaplib reads a message through the hand-off; imap processes are reused across successive logins, plaintext and TLS; poplib too', async () => {
    const message = sampleMessage('handoff through pd-forker-listen');
    deliverMessage(maildir, message, { uid: UID, gid: UID });
    const expected = { count: 1, body: message.replace(/\r?\n/g, '\r\n') };
    // Sequential sessions and process_min_avail = 1 per shard: at most two processes per shard, so
    // more logins than that prove that processes are reused.
    const logins = 2 * HANDOFF_TEST_SHARDS + 1;
    for (let i = 0; i < logins; i++) expect(await pythonImapSession(daemon.port('imap'), 'hann')).to.deep.equal(expected);
    const pids = servingPids(dovecot, 'hann');
    expect(pids.length, dovecot.log()).to.be.at.most(2 * HANDOFF_TEST_SHARDS);
    // Implicit TLS: the worker relays, its end of the pair goes to Dovecot.
    expect(await pythonImapSession(daemon.port('imaps'), 'hann', true)).to.deep.equal(expected);
    expect(servingPids(dovecot, 'hann').length).to.be.at.most(2 * HANDOFF_TEST_SHARDS);
    const pop = await pythonPop3Session(daemon.port('pop3'), 'hann');
    expect(pop.count).to.equal(1);
    expect(pop.lines?.join('\r\n')).to.include('handoff through pd-forker-listen');
    // Nothing exec'd (the primary logs "session started" per launch); every hand-off logged once.
    const handedLines = () => daemon.logs.filter((l) => l.msg === 'session handed to dovecot');
    // Log lines leave the workers in batches, at most 20 ms late (core BatchedLogWriter).
    const sessions = logins + 2;
    await daemon.waitForLog(() => handedLines().length >= sessions, 5000, `${sessions} "session handed to dovecot" lines`);
    expect(daemon.logs.filter((l) => l.msg === 'session started')).to.deep.equal([]);
    const handed = handedLines();
    expect(handed).to.have.length(sessions);
    const byPrimary = handed.filter((l) => l.pid === daemon.pid).length;
    if (variant === 'delegated') {
      // Root-only sockets: a worker that tried once learns it cannot, and delegates from then on.
      expect(byPrimary).to.equal(sessions);
    } else {
      // The first hand-off of each backend instance (a worker's login service: IMAP, POP3) is
      // delegated and tells it the primary's hand-off mode is up; later ones go straight from the worker.
      const sent = JSON.stringify(handed.map((l) => [l.pid, l.via, l.pool]));
      expect(byPrimary, sent).to.be.at.most(4);
      expect(handed.length - byPrimary, sent).to.be.at.least(2);
      expect(daemon.logs.filter((l) => l.msg === 'hand-off registration refused')).to.deep.equal([]);
      expect(daemon.logs.filter((l) => String(l.msg).includes('cannot use the login sockets'))).to.deep.equal([]);
    }
  });
});
