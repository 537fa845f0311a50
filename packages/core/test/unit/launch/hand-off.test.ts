import { expect } from 'chai';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackendError,
  CORE_OPTION_SPECS,
  DEFAULT_LIMITS,
  handOffSession,
  LocalSessionLauncher,
  silentLogger,
  validateOptions,
  type AuthenticatedSession,
  type ClientConnection,
  type LaunchRequest,
} from '@pigeondeliver/core';
import { FAKE_IMAPD, FAKE_NEVER_ANSWERS } from '@pigeondeliver/test-fixtures/fake-binaries';
import { testUserRecord } from '@pigeondeliver/test-fixtures/preauth-server';

const isRoot = process.getuid?.() === 0;
const UID = isRoot ? 12345 : process.getuid!();
const GID = isRoot ? 12345 : process.getgid!();

async function tcpPair(): Promise<{ server: Socket; client: Socket }> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const accepted = new Promise<Socket>((r) => srv.once('connection', r));
  const client = createConnection((srv.address() as AddressInfo).port, '127.0.0.1');
  const server = await accepted;
  srv.close();
  return { server, client };
}

function collectUntil(s: Socket, pattern: RegExp, ms = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`timeout, got ${JSON.stringify(buf)}`)), ms);
    const onData = (d: Buffer): void => {
      buf += d.toString();
      if (pattern.test(buf)) {
        clearTimeout(timer);
        s.off('data', onData);
        resolve(buf);
      }
    };
    s.on('data', onData);
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]!.startsWith('Z');
  } catch {
    return false;
  }
}

describe('handOffSession', function () {
  let root: string;
  let home: string;
  let launcher: LocalSessionLauncher;
  const sockets: Socket[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pd-handoff-'));
    chmodSync(root, 0o755);
    home = join(root, 'u1');
    const raw = [{ key: 'home_roots', value: root, source: 'test' }];
    launcher = new LocalSessionLauncher(validateOptions(raw, CORE_OPTION_SPECS), DEFAULT_LIMITS, silentLogger());
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  function setup(server: Socket, secured: boolean, pipelined = ''): { connection: ClientConnection; session: AuthenticatedSession } {
    const remote = { address: '127.0.0.1', port: server.remotePort ?? 0 };
    const local = { address: '127.0.0.1', port: server.localPort ?? 0 };
    const connection: ClientConnection = {
      sessionId: 's1', stream: server, socket: secured ? undefined : server, remote, local, secured, trusted: true,
      log: silentLogger(), close: () => server.destroy(),
    };
    const session: AuthenticatedSession = {
      sessionId: 's1', protocol: 'imap', user: testUserRecord({ login: 'u1' }), mechanism: 'LOGIN', loginTag: 'a1',
      capabilityRequested: false, pipelined: Buffer.from(pipelined), remote, local, secured, trusted: true, hops: 0,
    };
    return { connection, session };
  }

  function build(command: string, seen?: Buffer[]) {
    return (pipelined: Buffer): LaunchRequest => {
      seen?.push(pipelined);
      return {
        sessionId: 's1', command, args: [], env: { HOME: home, IMAPLOGINTAG: 'a1', PATH: '/usr/bin:/bin' }, cwd: home,
        uid: UID, gid: GID, home: { path: home }, stderr: 'log', label: 'fake',
      };
    };
  }

  it('gives a plaintext socket to the backend and adds what Node had buffered to the pipelined bytes', async () => {
    const { server, client } = await tcpPair();
    sockets.push(server, client);
    server.pause();
    client.write('b NOOP\r\n');
    await new Promise<void>((r) => {
      const poll = (): void => (server.readableLength > 0 ? r() : void setTimeout(poll, 5));
      poll();
    });
    const { connection, session } = setup(server, false, 'x ');
    const seen: Buffer[] = [];
    const greeting = collectUntil(client, /a1 OK/);
    const mode = await handOffSession({ launcher, connection, session, timeout: 3000, pipelinedInEnvironment: true, build: build(FAKE_IMAPD, seen) });
    expect(mode).to.equal('socket');
    expect(seen.map(String)).to.deep.equal(['x b NOOP\r\n']);
    await greeting;
    client.write('c LOGOUT\r\n');
    await collectUntil(client, /BYE/);
  });

  it('relays a secured session: pipelined bytes first, both directions, closed when the backend ends', async () => {
    const { server, client } = await tcpPair();
    sockets.push(server, client);
    const { connection, session } = setup(server, true, 'b SELECT INBOX\r\n');
    const out = collectUntil(client, /ECHO b SELECT INBOX/);
    const mode = await handOffSession({ launcher, connection, session, timeout: 3000, pipelinedInEnvironment: false, build: build(FAKE_IMAPD) });
    expect(mode).to.equal('relay');
    expect(await out).to.match(/^a1 OK fake-imapd logged in\r\n\* ECHO b SELECT INBOX\r\n/);
    client.write('c NOOP\r\n');
    await collectUntil(client, /ECHO c NOOP/);
    client.write('d LOGOUT\r\n');
    await collectUntil(client, /BYE/);
    await new Promise((r) => (client.readableEnded ? r(null) : client.once('end', r)));
    await new Promise((r) => (server.destroyed ? r(null) : server.once('close', r)));
  });

  it('relays a plaintext session whose pipelined bytes cannot go into the environment', async () => {
    const { server, client } = await tcpPair();
    sockets.push(server, client);
    const { connection, session } = setup(server, false, 'b NOOP\r\n');
    const out = collectUntil(client, /ECHO b NOOP/);
    expect(await handOffSession({ launcher, connection, session, timeout: 3000, pipelinedInEnvironment: false, build: build(FAKE_IMAPD) })).to.equal('relay');
    await out;
    client.write('c LOGOUT\r\n');
    await collectUntil(client, /BYE/);
  });

  it('rejects within the timeout and kills a relayed backend that never answers', async () => {
    const { server, client } = await tcpPair();
    sockets.push(server, client);
    const { connection, session } = setup(server, true);
    const t0 = Date.now();
    const err = await handOffSession({ launcher, connection, session, timeout: 600, pipelinedInEnvironment: false, build: build(FAKE_NEVER_ANSWERS) }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BackendError);
    expect((err as Error).message).to.match(/did not answer/);
    expect(Date.now() - t0).to.be.below(1500);
    expect(server.destroyed, 'the client connection stays usable').to.equal(false);
    const pidFile = join(home, '.fake-never-answers.pid');
    expect(existsSync(pidFile)).to.equal(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 100 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 10));
    expect(pidAlive(pid), 'nothing left running').to.equal(false);
  });
});
