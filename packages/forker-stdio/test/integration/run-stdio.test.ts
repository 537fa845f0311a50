import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer, connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { echoPluginArgs } from '@pigeondeliver/test-fixtures/daemon';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';
import { createTempDir } from '@pigeondeliver/test-fixtures/temp-dir';
import { Duplex } from 'node:stream';

const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const homes = createTempDir('pd-stdio-homes-');
const ARGS = [...echoPluginArgs(), '-o', `echo_home_root=${homes.path}`, '-o', `home_roots=${homes.path}`, '-o', 'first_valid_uid=100'];

describe('forker-stdio run-stdio @integration', function () {
  this.timeout(30_000);

  it('serves one session over a pipe pair with the address from TCPREMOTEIP, logs on stderr', async () => {
    const child = spawn(process.execPath, [BIN, ...ARGS], {
      env: { ...process.env, PIGEONDELIVER_CONFIG: '/dev/null', TCPREMOTEIP: '192.0.2.44', TCPREMOTEPORT: '4321' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const client = new ScriptedClient(Duplex.from({ readable: child.stdout!, writable: child.stdin! }), 10_000);
    expect(await client.readLine()).to.match(/^\* OK \[pid=\d+\] \[remote=192\.0\.2\.44:4321\] \[local=:0\] \[trusted=no\] \[secured=no\]/);
    client.send('a LOGIN erin x');
    expect(await client.readLine()).to.match(/^a OK \[in-process\] logged in as erin/);
    client.send('b LOGOUT');
    expect(await client.readLine()).to.equal('* BYE bye');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).to.equal(0);
    const connect = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'connect');
    expect(connect).to.deep.include({ remote: '192.0.2.44:4321', addressFrom: 'TCPREMOTEIP', socket: false });
  });

  it('uses fd 0/1 as one socket when they are one (inetd nowait) and hands the socket to the backend', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const accepted = new Promise<Socket>((r) => server.once('connection', r));
    const clientSocket = connect({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
    const serverSide = await accepted;
    const child = spawn(process.execPath, [BIN, ...ARGS], { env: { ...process.env, PIGEONDELIVER_CONFIG: '/dev/null' }, stdio: [serverSide, serverSide, 'pipe'] });
    const exited = new Promise((r) => child.once('exit', r)); // it may exit before the client reads the reply
    serverSide.destroy();
    server.close();
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const client = new ScriptedClient(clientSocket, 10_000);
    const greeting = await client.readLine();
    expect(greeting).to.match(/\[remote=127\.0\.0\.1:\d+\] \[local=127\.0\.0\.1:\d+\] \[trusted=yes\]/);
    client.send('a LOGIN frank x');
    const ok = await client.readLine();
    expect(ok).to.match(/^a OK \[launched\] logged in as frank/);
    if (process.getuid!() === 0) expect(ok).to.include('[uid=65534]');
    expect(await exited).to.equal(0);
    // The forker is gone; the session still answers on the same connection.
    client.send('b ECHO still');
    expect(await client.readLine()).to.equal('* ECHO still');
    client.send('c LOGOUT');
    clientSocket.destroy();
    expect(stderr).to.include('"socket":true');
  });

  it('stops with one clear line for an unknown login plugin', async () => {
    const child = spawn(process.execPath, [BIN, ...ARGS, '-o', 'dscm_service=login-nosuch'], { env: { ...process.env, PIGEONDELIVER_CONFIG: '/dev/null' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    expect(await new Promise((r) => child.once('exit', r))).to.equal(78);
    expect(stderr).to.match(/^pd-forker-stdio: login plugin login-nosuch is not installed/);
  });

  it('greets first (login-imap) and serves input pipelined before the late loading finished', async () => {
    const child = spawn(process.execPath, [BIN, ...ARGS, '-o', 'dscm_service=login-imap'], {
      env: { ...process.env, PIGEONDELIVER_CONFIG: '/dev/null', TCPREMOTEIP: '127.0.0.1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise((r) => child.once('exit', r));
    const client = new ScriptedClient(Duplex.from({ readable: child.stdout!, writable: child.stdin! }), 10_000);
    const greeting = await client.readLine();
    // Sent at once, while the forker is still loading the service (nothing waits for a reply).
    client.send('a CAPABILITY\r\nb NOOP\r\nc LOGOUT');
    expect(greeting).to.match(/^\* OK \[CAPABILITY IMAP4rev1 .*\] PigeonDeliver ready\.$/);
    const caps = await client.readLine();
    expect(caps).to.equal(`* CAPABILITY ${/\[CAPABILITY ([^\]]+)\]/.exec(greeting)![1]}`);
    expect(await client.readLine()).to.match(/^a OK/);
    expect(await client.readLine()).to.match(/^b OK/);
    expect(await client.readLine()).to.match(/^\* BYE/);
    expect(await client.readLine()).to.match(/^c OK/);
    expect(await exited).to.equal(0);
    expect(stderr).to.include('"greetedEarly":true');
    expect(stderr).not.to.include('early greeting differs');
  });

  it('after an early greeting, a configuration error says BYE [UNAVAILABLE] and stops with one clear line', async () => {
    const child = spawn(process.execPath, [BIN, ...ARGS, '-o', 'dscm_service=login-imap', '-o', 'imap_no_such_key=1'], {
      env: { ...process.env, PIGEONDELIVER_CONFIG: '/dev/null' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise((r) => child.once('exit', r));
    const client = new ScriptedClient(Duplex.from({ readable: child.stdout!, writable: child.stdin! }), 10_000);
    expect(await client.readLine()).to.match(/^\* OK \[CAPABILITY /);
    expect(await client.readLine()).to.equal('* BYE [UNAVAILABLE] Server configuration error, try again later.');
    expect(await exited).to.equal(78);
    expect(stderr).to.match(/^pd-forker-stdio: configuration error: .*imap_no_such_key/);
  });
});
