import { expect } from 'chai';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackendError,
  CORE_OPTION_SPECS,
  DEFAULT_LIMITS,
  LocalSessionLauncher,
  silentLogger,
  validateOptions,
  type LaunchRequest,
} from '@pigeondeliver/core';
import { FAKE_EXIT_AT_ONCE, FAKE_IMAPD, readFakeImapdRecord } from '@pigeondeliver/test-fixtures/fake-binaries';
import { recordingLogger } from '@pigeondeliver/test-fixtures/stream-pair';

const isRoot = process.getuid?.() === 0;
const UID = isRoot ? 12345 : process.getuid!();
const GID = isRoot ? 12345 : process.getgid!();

/** A connected TCP pair on loopback: `server` is what a forker would hand over. */
async function tcpPair(): Promise<{ server: Socket; client: Socket; close(): void }> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const accepted = new Promise<Socket>((r) => srv.once('connection', r));
  const client = createConnection((srv.address() as AddressInfo).port, '127.0.0.1');
  const server = await accepted;
  srv.close();
  return { server, client, close: () => (client.destroy(), server.destroy()) };
}

function readLine(s: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        s.off('data', onData);
        resolve(buf.slice(0, nl + 1));
      }
    };
    s.on('data', onData);
    s.once('error', reject);
  });
}

describe('LocalSessionLauncher', function () {
  let root: string;
  let launcher: LocalSessionLauncher;
  const pairs: { close(): void }[] = [];

  function makeLauncher(extra: Record<string, string> = {}, logger = silentLogger()): LocalSessionLauncher {
    const raw = Object.entries({ home_roots: root, first_valid_uid: '500', ...extra }).map(([key, value]) => ({ key, value, source: 'test' }));
    return new LocalSessionLauncher(validateOptions(raw, CORE_OPTION_SPECS), { ...DEFAULT_LIMITS, backendTimeout: 3000 }, logger);
  }

  function request(fields: Partial<LaunchRequest> = {}): LaunchRequest {
    const home = fields.home?.path ?? join(root, 'u1');
    return {
      sessionId: 'test1',
      command: FAKE_IMAPD,
      args: ['Maildir'],
      env: { HOME: home, IMAPLOGINTAG: 'a1', PATH: '/usr/bin:/bin' },
      cwd: home,
      uid: UID,
      gid: GID,
      home: { path: home, maildir: 'Maildir' },
      stderr: 'log',
      label: 'fake',
      ...fields,
    };
  }

  async function pair(): Promise<{ server: Socket; client: Socket }> {
    const p = await tcpPair();
    pairs.push(p);
    return p;
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pd-launch-'));
    chmodSync(root, 0o755);
    launcher = makeLauncher();
  });
  afterEach(() => {
    for (const p of pairs.splice(0)) p.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the home (0700, owned by the user, Maildir cur/new/tmp) and runs the backend as the user on the socket', async () => {
    const { server, client } = await pair();
    const line = readLine(client);
    const result = await launcher.launch(request(), server);
    expect(result.pid).to.be.a('number');
    expect(server.destroyed, 'our copy of the socket is closed').to.equal(true);
    expect(await line).to.equal('a1 OK fake-imapd logged in\r\n');
    const home = join(root, 'u1');
    const st = statSync(home);
    expect(st.mode & 0o777).to.equal(0o700);
    expect([st.uid, st.gid]).to.deep.equal([UID, GID]);
    for (const sub of ['cur', 'new', 'tmp']) expect(statSync(join(home, 'Maildir', sub)).uid).to.equal(UID);
    client.write('x LOGOUT\r\n');
    await new Promise((r) => client.once('end', r));
    const rec = readFakeImapdRecord(home);
    expect(rec.uid).to.equal(UID);
    expect(rec.gid).to.equal(GID);
    if (isRoot) expect(rec.groups, 'supplementary groups cleared').to.deep.equal([GID]);
    expect(rec.cwd).to.equal(home);
    expect(rec.argv.slice(1)).to.deep.equal(['Maildir']);
    expect(rec.env.IMAPLOGINTAG).to.equal('a1');
  });

  it('refuses uid 0 and uids below first_valid_uid, leaving the socket open', async () => {
    const { server } = await pair();
    for (const uid of [0, 499]) {
      let err: unknown;
      await launcher.launch(request({ uid }), server).catch((e: unknown) => (err = e));
      expect(err).to.be.instanceOf(BackendError);
      expect(server.destroyed).to.equal(false);
    }
    expect(existsSync(join(root, 'u1')), 'no home created').to.equal(false);
  });

  it('refuses a home outside home_roots', async () => {
    const { server } = await pair();
    const outside = mkdtempSync(join(tmpdir(), 'pd-outside-'));
    try {
      const err = await launcher.launch(request({ home: { path: join(outside, 'u1') }, cwd: outside }), server).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(BackendError);
      expect((err as Error).message).to.match(/outside the home roots/);
      expect(readdirSync(outside)).to.deep.equal([]);
      const dotdot = await launcher.launch(request({ home: { path: `${root}/../x` } }), server).catch((e: unknown) => e);
      expect(dotdot).to.be.instanceOf(BackendError);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a home that is a symlink and leaves its target untouched', async () => {
    const { server } = await pair();
    const target = mkdtempSync(join(tmpdir(), 'pd-target-'));
    chmodSync(target, 0o750);
    try {
      symlinkSync(target, join(root, 'u1'));
      const err = await launcher.launch(request(), server).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(BackendError);
      expect((err as Error).message).to.match(/symbolic link/);
      expect(readdirSync(target)).to.deep.equal([]);
      const st = statSync(target);
      expect(st.mode & 0o777).to.equal(0o750);
      expect(st.uid).to.equal(process.getuid!());
      // A symlinked directory higher up is refused as well.
      symlinkSync(target, join(root, 'dom'));
      const err2 = await launcher.launch(request({ home: { path: join(root, 'dom', 'u2') } }), server).catch((e: unknown) => e);
      expect(err2).to.be.instanceOf(BackendError);
      expect(readdirSync(target)).to.deep.equal([]);
      expect(lstatSync(join(root, 'u1')).isSymbolicLink()).to.equal(true);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });

  it('refuses a Maildir that is a symlink inside the home', async () => {
    const { server } = await pair();
    const home = join(root, 'u1');
    const target = mkdtempSync(join(tmpdir(), 'pd-target-'));
    try {
      mkdirSync(home, { mode: 0o700 });
      if (isRoot) (await import('node:fs')).chownSync(home, UID, GID);
      symlinkSync(target, join(home, 'Maildir'));
      const err = await launcher.launch(request(), server).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(BackendError);
      expect(readdirSync(target)).to.deep.equal([]);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });

  it('refuses an existing home owned by another uid', async function () {
    if (!isRoot) this.skip();
    const { server } = await pair();
    mkdirSync(join(root, 'u1'), { mode: 0o700 });
    const err = await launcher.launch(request(), server).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BackendError);
    expect((err as Error).message).to.match(/owned by uid 0/);
  });

  it('rejects quickly with BackendError when the binary is missing, socket untouched', async () => {
    const { server } = await pair();
    const t0 = Date.now();
    const err = await launcher.launch(request({ command: join(root, 'no-such-imapd') }), server).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BackendError);
    expect((err as Error).message).to.match(/ENOENT/);
    expect(Date.now() - t0).to.be.below(1000);
    expect(server.destroyed).to.equal(false);
  });

  it('rejects with BackendError (and its stderr line) when the backend exits at once', async () => {
    launcher = makeLauncher({ backend_stderr: 'log' });
    const { server, client } = await pair();
    let got = '';
    client.on('data', (d: Buffer) => (got += d.toString()));
    const err = await launcher.launch(request({ command: FAKE_EXIT_AT_ONCE }), server).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BackendError);
    expect((err as Error).message).to.match(/exited with code 75.*mail storage unusable/);
    expect(server.destroyed, 'the login service can still answer').to.equal(false);
    server.write('a1 NO [UNAVAILABLE] try later\r\n');
    expect(await readLine(client)).to.equal('a1 NO [UNAVAILABLE] try later\r\n');
    expect(got).to.not.match(/OK/);
  });

  it('refuses to launch when the socket still holds unread bytes', async () => {
    const { server, client } = await pair();
    server.pause();
    client.write('b SELECT INBOX\r\n');
    await new Promise<void>((r) => {
      const poll = (): void => (server.readableLength > 0 ? r() : void setTimeout(poll, 5));
      poll();
    });
    const err = await launcher.launch(request(), server).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BackendError);
    expect((err as Error).message).to.match(/unread bytes/);
  });

  it('shares one stderr pipe among all backends (default): lines are logged, no descriptor is kept per session', async () => {
    const lines: Record<string, unknown>[] = [];
    launcher = makeLauncher({}, recordingLogger(lines));
    const fdCount = (): number => readdirSync('/proc/self/fd').length;
    // The first launch opens the shared channel (two descriptors for the whole process).
    const first = await pair();
    await launcher.launch(request({ command: FAKE_IMAPD }), first.server);
    const before = fdCount();
    for (let i = 0; i < 5; i++) {
      const { server } = await pair();
      const home = join(root, `s${i}`);
      await launcher.launch(request({ command: FAKE_IMAPD, home: { path: home, maildir: 'Maildir' }, cwd: home, env: { HOME: home, IMAPLOGINTAG: 'a1' } }), server);
    }
    // Each pair() leaves its client socket open here (5); a per-session stderr pipe would add 5 more.
    expect(fdCount() - before).to.be.at.most(5);
    const err = await launcher.launch(request({ command: FAKE_EXIT_AT_ONCE }), (await pair()).server).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BackendError);
    const deadline = Date.now() + 3000;
    while (!lines.some((l) => String(l['stderr'] ?? '').includes('mail storage unusable')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(lines.some((l) => String(l['stderr'] ?? '').includes('mail storage unusable')), 'stderr line logged').to.equal(true);
  });
});
