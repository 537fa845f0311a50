import { expect } from 'chai';
import { Command, IPv4Address, IPv4ProxyAddress, TransportProtocol, V2ProxyProtocol } from 'proxy-protocol-js';
import { PARK_MS } from '@pigeondeliver/forker-listen';
import type { RunningDaemon } from '@pigeondeliver/test-fixtures/daemon';
import { connectClient, loginSession, readUntilClosed, startEchoDaemon } from './daemon-harness.js';

function v2(from: [number, number, number, number], port: number): Buffer {
  return Buffer.from(
    new V2ProxyProtocol(Command.PROXY, TransportProtocol.STREAM, new IPv4ProxyAddress(IPv4Address.createFrom(from), port, IPv4Address.createFrom([198, 51, 100, 1]), 143)).build(),
  );
}

describe('forker-listen worker (PROXY protocol, limits) @integration', function () {
  this.timeout(60_000);
  let daemon: RunningDaemon | undefined;
  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    daemon = undefined;
  });

  describe('PROXY protocol', () => {
    let proxyDaemon: RunningDaemon | undefined;
    before(async () => {
      proxyDaemon = await startEchoDaemon([
        '-o', 'listen=echo=127.0.0.1:0, echoproxy=127.0.0.1:0/proxy',
        '-o', 'listen_proxy_timeout=1s',
        '-o', 'listen_workers=1',
        '-o', 'log_level=debug', // the daemon's connect line is a debug line
      ]);
    });
    after(async () => {
      await proxyDaemon?.stop('SIGKILL');
    });

    it('takes the client address from a v2 header sent by a trusted peer, in the greeting and the log', async () => {
      const { socket, client } = await connectClient(proxyDaemon!.port('echoproxy'));
      socket.write(Buffer.concat([v2([192, 0, 2, 77], 40_001), Buffer.from('a NOOP\r\n')]));
      const greeting = await client.readLine();
      expect(greeting).to.include('[remote=192.0.2.77:40001] [local=198.51.100.1:143] [trusted=no]');
      expect(await client.readLine()).to.equal('a OK noop');
      const line = await proxyDaemon!.waitForLog((l) => l.msg === 'connect' && l.remote === '192.0.2.77:40001');
      expect(line.proxied).to.match(/^127\.0\.0\.1:\d+$/);
      client.send('b LOGIN carol x');
      expect(await client.readLine()).to.include('[remote=192.0.2.77:40001]');
      socket.destroy();
    });

    it('takes a v1 header too', async () => {
      const { socket, client } = await connectClient(proxyDaemon!.port('echoproxy'));
      socket.write('PROXY TCP4 203.0.113.5 198.51.100.1 5555 143\r\n');
      expect(await client.readLine()).to.include('[remote=203.0.113.5:5555]');
      socket.destroy();
    });

    for (const [what, bytes, failure] of [
      ['a missing header', Buffer.from('a LOGIN x y\r\n'), 'missing'],
      ['a malformed v1 header', Buffer.from('PROXY TCP4 1.2.3 4.5.6.7 1 2\r\n'), 'malformed'],
      ['an oversized v1 header', Buffer.from(`PROXY TCP4 ${'9'.repeat(200)}`), 'oversized'],
      ['an oversized v2 header', (() => { const b = v2([192, 0, 2, 1], 1); b.writeUInt16BE(4000, 14); return b; })(), 'oversized'],
      ['no header in time', Buffer.alloc(0), 'timeout'],
    ] as const) {
      it(`closes the connection without a word on ${what}`, async () => {
        const { socket } = await connectClient(proxyDaemon!.port('echoproxy'));
        const closed = readUntilClosed(socket);
        if (bytes.length > 0) socket.write(bytes);
        expect(await closed).to.equal('');
        await proxyDaemon!.waitForLog((l) => l.msg === 'PROXY header refused, connection closed' && l.failure === failure);
      });
    }
  });

  it('refuses a PROXY header from a peer outside listen_proxy_networks', async () => {
    daemon = await startEchoDaemon(['-o', 'listen=echoproxy=127.0.0.1:0/proxy', '-o', 'listen_proxy_networks=10.0.0.0/8', '-o', 'listen_workers=1']);
    const { socket } = await connectClient(daemon.port());
    const closed = readUntilClosed(socket);
    socket.write(v2([192, 0, 2, 1], 1));
    expect(await closed).to.equal('');
    await daemon.waitForLog((l) => l.msg === 'PROXY listener: peer is not in listen_proxy_networks, connection closed');
  });

  it('says goodbye when an address holds too many pre-login connections, and counts across workers', async () => {
    daemon = await startEchoDaemon(['-o', 'listen_max_connections_per_ip=2']);
    const a = await connectClient(daemon.port());
    await a.client.readLine();
    const b = await connectClient(daemon.port());
    await b.client.readLine();
    const c = await connectClient(daemon.port());
    expect(await readUntilClosed(c.socket)).to.equal('* BYE [too-many-from-address] rejected\r\n');
    // A login hands the connection over: it no longer counts (the release reaches the primary a
    // moment after the client sees its OK, so try a few times).
    a.client.send('a LOGIN bob x');
    expect(await a.client.readLine()).to.match(/^a OK \[launched\]/);
    let greeting = '';
    for (let i = 0; i < 50 && !greeting.startsWith('* OK'); i++) {
      const d = await connectClient(daemon.port());
      greeting = await d.client.readLine();
      d.socket.destroy();
    }
    expect(greeting).to.match(/^\* OK /);
    for (const s of [a, b]) s.socket.destroy();
  });

  it('admissions the workers keep from finished connections do not hold a full limit: they come back before anyone is refused', async () => {
    daemon = await startEchoDaemon(['-o', 'listen_max_connections=2', '-o', 'listen_max_connections_per_ip=0']);
    // Two connections from 127.0.0.1 end: the workers keep their admissions for that address.
    for (let i = 0; i < 2; i++) {
      const gone = await connectClient(daemon.port());
      expect(await gone.client.readLine()).to.match(/^\* OK /);
      gone.socket.destroy();
    }
    // Two from 127.0.0.2 cannot use them: the limit looks full until the workers give them back. The
    // close of the first two reaches the workers a moment after the client's, so try a few times, for
    // far less than PARK_MS, after which a kept admission would be released anyway.
    let pair: Awaited<ReturnType<typeof connectClient>>[] = [];
    const started = Date.now();
    for (let i = 0; i < 15 && pair.length === 0; i++) {
      const tried = [await connectClient(daemon.port(), '127.0.0.1', '127.0.0.2'), await connectClient(daemon.port(), '127.0.0.1', '127.0.0.2')];
      const greetings = await Promise.all(tried.map((c) => c.client.readLine().catch(() => '')));
      if (greetings.every((g) => g.startsWith('* OK'))) pair = tried;
      else {
        for (const c of tried) c.socket.destroy();
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    expect(pair, 'two connections admitted after two ended').to.have.length(2);
    expect(Date.now() - started).to.be.lessThan(PARK_MS);
    // The limit is still exact across the workers: a third is refused.
    const third = await connectClient(daemon.port(), '127.0.0.1', '127.0.0.3');
    expect(await readUntilClosed(third.socket)).to.equal('* BYE [too-many-connections] rejected\r\n');
    for (const c of pair) c.socket.destroy();
  });

  it('says goodbye above listen_max_connections', async () => {
    daemon = await startEchoDaemon(['-o', 'listen_max_connections=1', '-o', 'listen_max_connections_per_ip=0']);
    const a = await connectClient(daemon.port());
    await a.client.readLine();
    const b = await connectClient(daemon.port());
    expect(await readUntilClosed(b.socket)).to.equal('* BYE [too-many-connections] rejected\r\n');
    a.socket.destroy();
    await daemon.waitForLog(() => true);
  });

  it('says goodbye above listen_connection_rate', async () => {
    daemon = await startEchoDaemon(['-o', 'listen_connection_rate=3', '-o', 'listen_max_connections_per_ip=0']);
    const replies: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await loginSession(daemon.port()).catch((e: Error) => ({ greeting: e.message, socket: undefined }));
      replies.push(s.greeting);
      s.socket?.destroy();
    }
    expect(replies.filter((r) => r.startsWith('* OK'))).to.have.length.within(3, 4);
    expect(replies.some((r) => r.includes('[rate-limited]'))).to.equal(true);
  });
});
