import { expect } from 'chai';
import { createServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { runToExit, echoPluginArgs, type RunningDaemon } from '@pigeondeliver/test-fixtures/daemon';
import { opensslAvailable, testCertificates } from '@pigeondeliver/test-fixtures/certificates';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';
import { connectClient, echoArgs, LISTEN_BIN, loginSession, readUntilClosed, startEchoDaemon } from './daemon-harness.js';

describe('forker-listen primary (daemon) @integration', function () {
  this.timeout(60_000);
  let daemon: RunningDaemon | undefined;
  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    daemon = undefined;
  });

  it('prints a readiness line, greets, and starts the session as an unprivileged user with pipelined bytes', async () => {
    daemon = await startEchoDaemon();
    const port = daemon.port('echo');
    expect(port).to.be.greaterThan(0);
    const { socket, client } = await connectClient(port);
    const greeting = await client.readLine();
    expect(greeting).to.match(/^\* OK \[pid=\d+\] \[remote=127\.0\.0\.1:\d+\] \[local=127\.0\.0\.1:\d+\] \[trusted=yes\] \[secured=no\] /);
    const workerPid = Number(/pid=(\d+)/.exec(greeting)![1]);
    expect(workerPid).to.not.equal(daemon.pid);
    client.send('a LOGIN bob secret\r\nb ECHO pipelined');
    const ok = await client.readLine();
    expect(ok).to.match(/^a OK \[launched\] logged in as bob/);
    if (process.getuid!() === 0) expect(ok).to.include('[uid=65534]');
    expect(await client.readLine()).to.equal('* ECHO pipelined');
    expect(await client.readLine()).to.equal('b OK echo');
    client.send('c LOGOUT');
    expect(await client.readLine()).to.equal('* BYE bye');
    socket.destroy();
    const started = await daemon.waitForLog((l) => l.msg === 'session started');
    expect(started.uid).to.equal(process.getuid!() === 0 ? 65534 : process.getuid!());
  });

  it('runs the workers as nobody when started as root', async function () {
    if (process.getuid!() !== 0) this.skip();
    daemon = await startEchoDaemon();
    const { client } = await connectClient(daemon.port());
    const workerPid = Number(/pid=(\d+)/.exec(await client.readLine())![1]);
    const { readFileSync } = await import('node:fs');
    const status = readFileSync(`/proc/${workerPid}/status`, 'utf8');
    expect(/^Uid:\s+(\d+)\s+(\d+)/m.exec(status)!.slice(1)).to.deep.equal(['65534', '65534']);
  });

  it('answers a temporary failure on the same connection when the launch fails', async () => {
    daemon = await startEchoDaemon(['-o', 'first_valid_uid=70000']);
    const { client } = await connectClient(daemon.port());
    await client.readLine();
    client.send('a LOGIN bob secret');
    expect(await client.readLine()).to.match(/^a NO \[UNAVAILABLE\] .*first_valid_uid/);
    client.send('b NOOP');
    expect(await client.readLine()).to.equal('b OK noop');
  });

  it('serves implicit TLS on a /tls listener', async function () {
    if (!opensslAvailable()) {
      if (process.env.CI === 'true') throw new Error('openssl is required in CI');
      this.skip();
    }
    const certs = testCertificates();
    daemon = await startEchoDaemon(['-o', 'listen=echo=127.0.0.1:0, echos=127.0.0.1:0/tls', '-o', `tls_cert=${certs.serverCertPath}`, '-o', `tls_key=${certs.serverKeyPath}`]);
    const tls = tlsConnect({ host: '127.0.0.1', port: daemon.port('echos'), ca: certs.caCert, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => tls.once('secureConnect', resolve).once('error', reject));
    const client = new ScriptedClient(tls, 10_000);
    expect(await client.readLine()).to.match(/\[secured=yes\]/);
    client.send('a LOGIN bob x');
    expect(await client.readLine()).to.match(/^a OK \[in-process\] logged in as bob/);
    tls.destroy();
  });

  it('stops with one clear line when a /tls listener has no certificate', async () => {
    const r = await runToExit(LISTEN_BIN, echoArgs(['-o', 'listen=echos=127.0.0.1:0/tls']));
    expect(r.code).to.equal(78);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.match(/^pd-forker-listen: configuration error: listener echos \(\/tls\) needs TLS: set tls_cert and tls_key/);
  });

  it('stops with one clear line and a non-zero exit when the port is in use', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await runToExit(LISTEN_BIN, echoArgs(['-o', `listen=echo=127.0.0.1:${port}`]));
      expect(r.code).to.not.equal(0);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr.trim()).to.equal(`pd-forker-listen: cannot listen on echo=127.0.0.1:${port}: address already in use`);
    } finally {
      busy.close();
    }
  });

  it('stops with one clear line for an unknown login plugin', async () => {
    const r2 = await runToExit(LISTEN_BIN, [...echoPluginArgs(), '-o', 'dscm_service=login-nosuch', '-o', 'listen=x=127.0.0.1:0']);
    expect(r2.code).to.equal(78);
    expect(r2.stderr).to.match(/^pd-forker-listen: login plugin login-nosuch is not installed .*\n {2}install it with: npm install @pigeondeliver\/login-nosuch\n$/);
  });

  it('stops with one clear line for a bad listen value or an unknown option', async () => {
    const r = await runToExit(LISTEN_BIN, echoArgs(['-o', 'listen=echo=localhost:1']));
    expect(r.code).to.equal(78);
    expect(r.stderr).to.equal('pd-forker-listen: configuration error: bad value for listen (from command line): listener "echo=localhost:1": "localhost" is not an IPv4 address (host names are not resolved)\n');
    const r2 = await runToExit(LISTEN_BIN, echoArgs(['-o', 'listen_wokers=2']));
    expect(r2.code).to.equal(78);
    expect(r2.stderr).to.match(/unknown option listen_wokers .*did you mean "listen_workers"/);
  });

  it('prints usage and every option with --help', async () => {
    const r = await runToExit(LISTEN_BIN, ['--help']);
    expect(r.code).to.equal(0);
    for (const key of ['listen ', 'listen_workers', 'listen_user', 'listen_max_connections_per_ip', 'listen_shutdown_timeout', 'trusted_networks']) expect(r.stdout).to.include(key);
  });

  it('SIGHUP replaces the workers without refusing a connection or dropping a session', async () => {
    daemon = await startEchoDaemon(['-o', 'listen_max_connections_per_ip=0']);
    const port = daemon.port();
    const established = await loginSession(port, 'early');
    expect(established.ok).to.match(/^a OK \[launched\]/);
    // A pre-login client of the old generation, still talking when the reload happens.
    const slow = await connectClient(port);
    const slowGreeting = await slow.client.readLine();
    let running = true;
    let logins = 0;
    const failures: string[] = [];
    const loop = (async () => {
      while (running) {
        try {
          const s = await loginSession(port, `u${logins}`);
          if (!/^a OK \[launched\]/.test(s.ok)) failures.push(s.ok);
          s.client.send('z LOGOUT');
          await s.client.readLine();
          s.socket.destroy();
          logins++;
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    })();
    await daemon.waitForLog(() => logins >= 5, 20_000, 'five logins');
    daemon.child.kill('SIGHUP');
    await daemon.waitForLog((l) => l.msg === 'listening' && l.generation === 2, 20_000, 'second generation');
    const after = logins;
    await daemon.waitForLog(() => logins >= after + 5, 20_000, 'five more logins');
    // The old worker still serves its pre-login client, then leaves.
    slow.client.send('n NOOP');
    expect(await slow.client.readLine()).to.equal('n OK noop');
    const oldPid = Number(/pid=(\d+)/.exec(slowGreeting)![1]);
    slow.client.send('q LOGOUT');
    await slow.client.readLine();
    running = false;
    await loop;
    expect(failures).to.deep.equal([]);
    await waitForExit(oldPid);
    established.client.send('e ECHO still here');
    expect(await established.client.readLine()).to.equal('* ECHO still here');
    established.socket.destroy();
  });

  it('SIGTERM stops accepting, says goodbye to pre-login clients after the timeout, and keeps sessions', async () => {
    daemon = await startEchoDaemon(['-o', 'listen_shutdown_timeout=1s']);
    const port = daemon.port();
    const session = await loginSession(port);
    const pre = await connectClient(port);
    await pre.client.readLine();
    const closed = readUntilClosed(pre.socket);
    daemon.child.kill('SIGTERM');
    expect(await closed).to.include('* BYE [shutting-down] rejected');
    const exit = await daemon.exited;
    expect(exit.code).to.equal(0);
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
    session.client.send('e ECHO after stop');
    expect(await session.client.readLine()).to.equal('* ECHO after stop');
    session.client.send('f LOGOUT');
    session.socket.destroy();
  });
});

/** Waits until a process is gone (bounded). */
async function waitForExit(pid: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`process ${pid} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
