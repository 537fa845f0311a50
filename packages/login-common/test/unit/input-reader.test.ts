import { expect } from 'chai';
import { duplexPair } from '@pigeondeliver/test-fixtures/stream-pair';
import { InputError, InputFailure, InputReader } from '@pigeondeliver/login-common';

function reader(settings: Partial<{ maxLineLength: number; idleTimeout: number; totalTimeout: number }> = {}) {
  const [server, client] = duplexPair();
  const r = new InputReader(server, { maxLineLength: 64, idleTimeout: 0, totalTimeout: 0, ...settings });
  return { r, client, server };
}

async function failure(p: Promise<unknown>): Promise<InputFailure> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(InputError);
    return (e as InputError).failure;
  }
  throw new Error('expected a rejection');
}

describe('InputReader', () => {
  it('reads CRLF and bare LF lines, split over chunks', async () => {
    const { r, client } = reader();
    client.write('a1 NO');
    const p = r.readLine();
    client.write('OP\r\nb LF\nrest');
    expect((await p).toString()).to.equal('a1 NOOP');
    expect((await r.readLine()).toString()).to.equal('b LF');
    expect(r.bufferedLength).to.equal(4);
  });

  it('rejects a line over the limit with LineTooLong, with or without its end', async () => {
    const a = reader({ maxLineLength: 10 });
    a.client.write('0123456789abc');
    expect(await failure(a.r.readLine())).to.equal(InputFailure.LineTooLong);
    const b = reader({ maxLineLength: 10 });
    b.client.write('0123456789\r\n');
    expect(await failure(b.r.readLine())).to.equal(InputFailure.LineTooLong);
  });

  it('reads exact byte counts (literals) including CR, LF and 8-bit bytes', async () => {
    const { r, client } = reader();
    client.write(Buffer.from([0x0d, 0x0a, 0xff, 0x41, 0x0d, 0x0a]));
    expect([...(await r.readBytes(3))]).to.deep.equal([0x0d, 0x0a, 0xff]);
    expect((await r.readLine()).toString()).to.equal('A');
  });

  it('discardBuffered drops what was received and not consumed (STARTTLS)', async () => {
    const { r, client } = reader();
    client.write('s STARTTLS\r\nx1 LOGIN evil injected\r\n');
    expect((await r.readLine()).toString()).to.equal('s STARTTLS');
    expect(r.discardBuffered()).to.equal('x1 LOGIN evil injected\r\n'.length);
    client.write('after\r\n');
    expect((await r.readLine()).toString()).to.equal('after');
  });

  it('detach returns pipelined bytes, fails pending reads; reattach reads them again', async () => {
    const { r, client } = reader();
    client.write('a1 LOGIN u p\r\na2 SELECT INBOX\r\n');
    expect((await r.readLine()).toString()).to.equal('a1 LOGIN u p');
    const rest = r.detach();
    expect(rest.toString()).to.equal('a2 SELECT INBOX\r\n');
    expect(await failure(r.readLine())).to.equal(InputFailure.Detached);
    r.reattach(rest);
    expect((await r.readLine()).toString()).to.equal('a2 SELECT INBOX');
  });

  it('detach also takes bytes still buffered inside the stream', async () => {
    const { r, client, server } = reader();
    client.write('one\r\n');
    expect((await r.readLine()).toString()).to.equal('one');
    client.write('two\r\n'); // not pulled yet: no read is waiting
    expect(server.readableLength).to.be.greaterThan(0);
    expect(r.detach().toString()).to.equal('two\r\n');
  });

  it('idle timeout fires only while waiting; the total timeout despite a byte dribble', async () => {
    const a = reader({ idleTimeout: 40 });
    expect(await failure(a.r.readLine())).to.equal(InputFailure.IdleTimeout);
    const b = reader({ idleTimeout: 100, totalTimeout: 150 });
    const drip = setInterval(() => b.client.write('x'), 20);
    try {
      expect(await failure(b.r.readLine())).to.equal(InputFailure.LoginTimeout);
    } finally {
      clearInterval(drip);
    }
  });

  it('reports Closed when the client goes away, after buffered lines are read', async () => {
    const { r, client } = reader();
    client.end('last\r\n');
    expect((await r.readLine()).toString()).to.equal('last');
    expect(await failure(r.readLine())).to.equal(InputFailure.Closed);
  });

  it('close() rejects a pending read with Detached', async () => {
    const { r } = reader();
    const p = r.readLine();
    r.close();
    expect(await failure(p)).to.equal(InputFailure.Detached);
  });
});
