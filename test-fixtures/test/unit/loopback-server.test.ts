import { expect } from 'chai';
import type { Socket } from 'node:net';
import { connectLoopback, listenLoopback } from '@pigeondeliver/test-fixtures/loopback-server';

const firstData = (s: Socket) => new Promise<string>((resolve) => s.once('data', (d: Buffer) => resolve(d.toString())));

describe('test-fixtures loopback-server', () => {
  it('listens on 127.0.0.1 with an ephemeral port and serves connections', async () => {
    const server = await listenLoopback((socket) => socket.write(`hello ${socket.remoteAddress}\r\n`));
    expect(server.host).to.equal('127.0.0.1');
    expect(server.port).to.be.greaterThan(0);
    const client = await server.connect();
    expect(await firstData(client)).to.equal('hello 127.0.0.1\r\n');
    expect(server.connections.size).to.equal(1);
    const closed = new Promise((r) => client.once('close', r));
    await server.close();
    await closed; // open connections are destroyed by close()
    await server.close(); // idempotent
  });

  it('hands paused sockets when asked', async () => {
    let paused: boolean | undefined;
    const server = await listenLoopback((socket) => {
      paused = socket.isPaused();
      socket.resume();
      socket.end('x');
    }, { pauseOnConnect: true });
    const client = await server.connect();
    await firstData(client);
    expect(paused).to.equal(true);
    await server.close();
  });

  it('connectLoopback rejects a refused connection and a bad port', async () => {
    const server = await listenLoopback();
    const port = server.port;
    await server.close();
    const refused = await connectLoopback(port).then(() => undefined, (e: NodeJS.ErrnoException) => e);
    expect(refused?.code).to.equal('ECONNREFUSED');
    const bad = await connectLoopback(0).then(() => undefined, (e: Error) => e);
    expect(bad?.message).to.equal('connectLoopback: bad port 0');
  });
});
