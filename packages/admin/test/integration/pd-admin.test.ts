import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPostgresDatabase } from '@pigeondeliver/db-postgres';
import { openMysqlDatabase } from '@pigeondeliver/db-mysql';
import { uniqueTablePrefix } from '@pigeondeliver/test-fixtures/user-repository-suite';

const BIN = fileURLToPath(new URL('../../dist/bin/pd-admin.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real pd-admin program, feeding `input` on standard input (not a terminal). */
function pdAdmin(args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PIGEONDELIVER_CONFIG: '/dev/null' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The round trip every database must pass, given the -o options that select it. */
export function roundTrip(dbArgs: () => string[]): void {
  const secret = 'S3cret pässword';
  const run = (args: string[], input = '') => pdAdmin([...dbArgs(), ...args], input);

  it('migrates, adds, shows, authenticates, changes, lists and deletes a user', async () => {
    expect((await run(['db', 'migrate'])).code).to.equal(0);
    const added = await run(['user', 'add', 'Alice@Example.org', '--uid', '5000', '--gid', '5000', '--home', '/var/mail/alice', '--no-pop3'], `${secret}\n`);
    expect(added.stderr).to.equal('');
    expect(added.code).to.equal(0);
    expect(added.stdout).to.contain('created Alice@Example.org');

    const dup = await run(['user', 'add', 'alice@example.org'], `${secret}\n`);
    expect(dup.code).to.equal(65);
    expect(dup.stderr).to.match(/exists/i);

    const shown = await run(['user', 'show', 'alice@example.org']);
    expect(shown.code).to.equal(0);
    expect(shown.stdout).to.match(/uid: 5000/).and.match(/allow_pop3: false/).and.match(/password_scheme: SHA512-CRYPT/);
    expect(shown.stdout).not.to.contain('$6$');

    const ok = await run(['auth', 'test', 'alice@example.org'], `${secret}\n`);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(/result: ok/);
    const bad = await run(['auth', 'test', 'alice@example.org'], 'wrong\n');
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.match(/result: bad-credentials/);
    const pop = await run(['auth', 'test', '--protocol', 'pop3', 'alice@example.org'], `${secret}\n`);
    expect(pop.stdout).to.match(/result: protocol-not-allowed/);

    const set = await run(['user', 'set', 'alice@example.org', '--quota', '1G', '--backend', 'backend-courier']);
    expect(set.code, set.stderr).to.equal(0);
    expect(set.stdout).to.match(/version 2/);
    const stale = await run(['user', 'set', 'alice@example.org', '--quota', '2G', '--expect-version', '1']);
    expect(stale.code).to.equal(75);
    expect(stale.stderr).to.match(/changed since it was read/);

    expect((await run(['user', 'passwd', 'alice@example.org'], 'n3w\n')).code).to.equal(0);
    expect((await run(['auth', 'test', 'alice@example.org'], 'n3w\n')).code).to.equal(0);
    expect((await run(['auth', 'test', 'alice@example.org'], `${secret}\n`)).code).to.equal(1);

    const listed = await run(['user', 'list']);
    expect(listed.stdout).to.match(/Alice@Example\.org\s+5000:5000\s+-\s+backend-courier\s+enabled,imap/);
    const json = JSON.parse((await run(['user', 'list', '--json'])).stdout) as { login: string; quota_bytes: number }[];
    expect(json.map((u) => u.login)).to.deep.equal(['Alice@Example.org']);
    expect(json[0]!.quota_bytes).to.equal(1024 ** 3);

    expect((await run(['user', 'del', 'alice@example.org'])).code).to.equal(0);
    const gone = await run(['user', 'show', 'alice@example.org']);
    expect(gone.code).to.equal(67);
    expect(gone.stderr).to.match(/no such user/);
  });

  it('never echoes or logs the password', async () => {
    const r = await run(['user', 'add', 'bob', '--uid', '5001', '--gid', '5001'], `${secret}\n`);
    const t = await run(['auth', 'test', 'bob'], `${secret}\n`);
    for (const out of [r.stdout, r.stderr, t.stdout, t.stderr]) expect(out).not.to.contain(secret);
  });
}

describe('pd-admin @integration', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'pd-admin-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('on SQLite', () => roundTrip(() => ['-o', `database_url=${join(dir, 'users.sqlite')}`]));

  it('prints --help for every command', async () => {
    for (const cmd of [[], ['user'], ['user', 'add'], ['auth', 'test'], ['pw', 'hash'], ['db', 'migrate'], ['dovecot', 'config']]) {
      const r = await pdAdmin([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).to.equal(0);
      expect(r.stdout).to.match(/Usage: pd-admin/);
    }
  });

  it('stops on an unknown option with a "did you mean"', async () => {
    const r = await pdAdmin(['-o', 'databse_url=/tmp/x', 'user', 'list']);
    expect(r.code).to.equal(78);
    expect(r.stderr).to.match(/unknown option databse_url.*did you mean "database_url"/);
  });

  it('reports a database that is down as a temporary failure', async () => {
    const r = await pdAdmin(['-o', 'database=db-postgres', '-o', 'database_url=postgres://nobody@127.0.0.1:1/none', '-o', 'database_timeout=2s', 'user', 'list']);
    expect(r.code).to.equal(75);
    expect(r.stderr).to.match(/database unavailable/);
  });

  it('hashes and verifies passwords read from standard input', async () => {
    const h = await pdAdmin(['pw', 'hash', '-s', 'SHA512-CRYPT'], 'pw1\n');
    expect(h.code).to.equal(0);
    const hash = h.stdout.trim();
    expect(hash).to.match(/^\{SHA512-CRYPT\}\$6\$/);
    expect((await pdAdmin(['pw', 'verify', hash], 'pw1\n')).code).to.equal(0);
    expect((await pdAdmin(['pw', 'verify', hash], 'pw2\n')).code).to.equal(1);
    const bad = await pdAdmin(['pw', 'hash', '-s', 'NO-SUCH-SCHEME'], 'pw1\n');
    expect(bad.code).not.to.equal(0);
    expect(bad.stderr).to.match(/NO-SUCH-SCHEME/);
  });

  it('prints the Dovecot configuration for handoff mode from the same options', async () => {
    const r = await pdAdmin(['-o', 'mail_uid=5000', '-o', 'mail_gid=5000', 'dovecot', 'config']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/service imap/).and.match(/5000/);
    const sharded = await pdAdmin(['-o', 'mail_uid=5000', '-o', 'mail_gid=5000', '-o', 'dovecot_handoff_pool_shards=2', 'dovecot', 'config']);
    expect(sharded.code, sharded.stderr).to.equal(0);
    expect(sharded.stdout).to.include('service imap-uid5000-s2 {').and.include('service pop3-uid5000-s1 {').and.not.include('-s3');
    const tooMany = await pdAdmin(['-o', 'mail_uid=5000', '-o', 'dovecot_handoff_pool_shards=65', 'dovecot', 'config']);
    expect(tooMany.code).to.equal(78);
    expect(tooMany.stderr).to.match(/dovecot_handoff_pool_shards/);
    const bad = await pdAdmin(['-o', 'dovecot_mode=handof', 'dovecot', 'config']);
    expect(bad.code).to.equal(78);
    expect(bad.stderr).to.match(/dovecot_mode/);
  });

  it('refuses empty password input', async () => {
    const r = await pdAdmin(['-o', `database_url=${join(dir, 'users.sqlite')}`, 'user', 'add', 'carol'], '');
    expect(r.code).to.equal(65);
    expect(r.stderr).to.match(/no password/);
  });
});

/** Runs the round trip on a database server, in tables of its own that are dropped afterwards. */
function onServer(
  title: string,
  plugin: string,
  url: string,
  prefixKey: string,
  open: (url: string, o: { tablePrefix: string; timeoutMs: number }) => Promise<{ dropSchema(): Promise<void>; close(): Promise<void> }>,
): void {
  describe(`pd-admin on ${title} @integration`, function () {
    this.timeout(60_000);
    const prefix = uniqueTablePrefix();
    before(async function () {
      try {
        const db = await open(url, { tablePrefix: prefix, timeoutMs: 3000 });
        await db.close();
      } catch (e) {
        if (process.env['CI'] === 'true') throw new Error(`${title} is required under CI=true: ${(e as Error).message}`);
        console.log(`      skipped: cannot reach ${title} at ${url}: ${(e as Error).message}`);
        this.skip();
      }
    });
    after(async () => {
      const db = await open(url, { tablePrefix: prefix, timeoutMs: 3000 }).catch(() => undefined);
      await db?.dropSchema();
      await db?.close();
    });
    roundTrip(() => ['-o', `database=${plugin}`, '-o', `database_url=${url}`, '-o', `${prefixKey}=${prefix}`]);
  });
}

onServer('PostgreSQL', 'db-postgres', process.env['PD_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test', 'postgres_table_prefix', openPostgresDatabase);
onServer('MariaDB', 'db-mysql', process.env['PD_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test', 'mysql_table_prefix', openMysqlDatabase);
