import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { startDaemon, type RunningDaemon } from '@pigeondeliver/test-fixtures/daemon';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';
import { echoArgs, LISTEN_BIN } from './daemon-harness.js';

const ACTIVATE = '/usr/bin/systemd-socket-activate';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Connects, retrying while the activator is not listening yet (bounded). */
async function connectWhenListening(port: number, timeoutMs = 10_000): Promise<ScriptedClient> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<ScriptedClient>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port });
        s.once('error', reject);
        s.once('connect', () => resolve(new ScriptedClient(s, 15_000)));
      });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('forker-listen systemd socket activation @integration', function () {
  this.timeout(60_000);
  let daemon: RunningDaemon | undefined;
  after(async () => {
    await daemon?.stop('SIGKILL');
  });

  it('serves the sockets systemd-socket-activate passes (LISTEN_FDS, names map to listeners)', async function () {
    if (!existsSync(ACTIVATE)) {
      if (process.env.CI === 'true') throw new Error(`${ACTIVATE} is required in CI (Debian package systemd)`);
      this.skip();
    }
    const port = await freePort();
    const args = [...echoArgs(), '-o', 'listen=echo=systemd', '-o', 'listen_workers=1'];
    const starting = startDaemon({
      bin: LISTEN_BIN,
      args,
      wrapper: [ACTIVATE, '-l', `127.0.0.1:${port}`, '--fdname=echo', '-E', 'PIGEONDELIVER_CONFIG=/dev/null', '-E', 'PATH'],
      // The activator starts the daemon on the first connection only.
      readyTimeoutMs: 30_000,
    });
    const client = await connectWhenListening(port);
    daemon = await starting;
    expect(daemon.listeners.map((l) => ({ name: l.name, address: l.address, port: l.port }))).to.deep.equal([{ name: 'echo', address: '127.0.0.1', port }]);
    const ready = daemon.logs.find((l) => l.msg === 'listening')!;
    expect(ready.systemd).to.equal(true);
    expect(await client.readLine()).to.match(/^\* OK .*\[local=127\.0\.0\.1:\d+\]/);
    client.send('a LOGIN dave x');
    expect(await client.readLine()).to.match(/^a OK \[launched\] logged in as dave/);
    client.stream.destroy();
  });
});
