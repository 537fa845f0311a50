import { expect } from 'chai';
import { openSync, closeSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { DescriptorKind, descriptorKind, inetState, unixFlags } from '@pigeondeliver/forker-inetd';

function fdOf(x: Server | Socket): number {
  return (x as unknown as { _handle: { fd: number } })._handle.fd;
}

describe('descriptorKind (inetd mode detection from /proc)', () => {
  it('tells a listening TCP socket from a connected one, and a file from a socket', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const client = connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    try {
      expect(descriptorKind(fdOf(server))).to.equal(DescriptorKind.Listening);
      expect(descriptorKind(fdOf(client))).to.equal(DescriptorKind.Connected);
      const file = openSync('/etc/hostname', 'r');
      expect(descriptorKind(file)).to.equal(DescriptorKind.NotSocket);
      closeSync(file);
      expect(descriptorKind(987654)).to.equal(DescriptorKind.NotSocket);
    } finally {
      client.destroy();
      server.close();
    }
  });

  it('tells a connected socket without /proc and without sending its peer anything; a listening Unix socket through /proc', async () => {
    const server = createServer();
    const accepted = new Promise<Socket>((r) => server.once('connection', r));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    const ours = await accepted;
    let received = 0;
    client.on('data', (d: Buffer) => (received += d.length));
    const unixServer = createServer();
    const path = `/tmp/pd-socket-state-${process.pid}.sock`;
    await new Promise<void>((r) => unixServer.listen(path, r));
    try {
      expect(descriptorKind(fdOf(ours), '/nonexistent')).to.equal(DescriptorKind.Connected);
      ours.write('x\r\n');
      await new Promise<void>((r) => client.once('data', () => r()));
      expect(received).to.equal(3);
      expect(descriptorKind(fdOf(unixServer))).to.equal(DescriptorKind.Listening);
    } finally {
      client.destroy();
      ours.destroy();
      server.close();
      unixServer.close();
    }
  });

  it('reads the st column of /proc/net/tcp rows and the flags of /proc/net/unix rows', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:27AF 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 118374 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:27AF 0100007F:9A3C 01 00000000:00000000 00:00000000 00000000     0        0 118400 1 0000000000000000 20 4 30 10 -1',
    ].join('\n');
    expect(inetState(tcp, '118374')).to.equal('0A');
    expect(inetState(tcp, '118400')).to.equal('01');
    expect(inetState(tcp, '1')).to.equal(undefined);
    const unix = ['Num       RefCount Protocol Flags    Type St Inode Path', '0000000000000000: 00000002 00000000 00010000 0001 01 118376 private/x'].join('\n');
    expect(unixFlags(unix, '118376')).to.equal('00010000');
  });
});
