import { expect } from 'chai';
import { createStreamPair, duplexPair, MEMORY_TLS_INFO } from '@pigeondeliver/test-fixtures/stream-pair';

describe('test-fixtures stream-pair', () => {
  it('duplexPair carries bytes both ways and ends the peer like a FIN', async () => {
    const [a, b] = duplexPair();
    const got: string[] = [];
    b.on('data', (d: Buffer) => got.push(d.toString()));
    a.write('one ');
    a.write(Buffer.from('two'));
    const ended = new Promise((r) => b.once('end', r));
    a.end();
    await ended;
    expect(got.join('')).to.equal('one two');
  });

  it('destroying one end ends the other', async () => {
    const [a, b] = duplexPair();
    b.resume();
    const ended = new Promise((r) => b.once('end', r));
    a.destroy();
    await ended;
  });

  it('gives the login service a ClientConnection and the test the client end', async () => {
    const pair = createStreamPair({ sessionId: 's1', trusted: true });
    const { connection, client } = pair;
    expect(connection).to.include({ sessionId: 's1', trusted: true, secured: false, closed: false });
    expect(connection.remote).to.deep.equal({ address: '192.0.2.10', port: 40000 });
    connection.stream.on('data', (d: Buffer) => connection.stream.write(`echo ${d.toString()}`));
    client.write('hello\r\n');
    expect(await pair.waitFor('echo hello\r\n')).to.equal('echo hello\r\n');
    expect(await pair.waitFor(/^echo/)).to.equal('echo hello\r\n');
    connection.close();
    await pair.closed;
    expect(connection.closed).to.equal(true);
  });

  it('waitFor rejects with what arrived when the stream ends or time runs out', async () => {
    const pair = createStreamPair();
    pair.connection.stream.write('* OK hi\r\n');
    const late = pair.waitFor('never', 50);
    let error = await late.then(() => undefined, (e: Error) => e);
    expect(error?.message).to.equal('no never within 50 ms; received:\n* OK hi\r\n');
    const ends = pair.waitFor('never');
    pair.connection.close();
    error = await ends.then(() => undefined, (e: Error) => e);
    expect(error?.message).to.match(/^stream ended without never; received:/);
  });

  it('startTls flips secured and reports TLS facts; refuses a second start', async () => {
    const { connection } = createStreamPair();
    await connection.startTls!();
    expect(connection.secured).to.equal(true);
    expect(connection.tls).to.deep.equal(MEMORY_TLS_INFO);
    expect(connection.startTlsCalls).to.equal(1);
    let error: Error | undefined;
    await connection.startTls!().catch((e: Error) => (error = e));
    expect(error?.message).to.equal('TLS is already active on this connection');
    expect(createStreamPair({ startTls: false }).connection.startTls).to.equal(undefined);
    expect(createStreamPair({ secured: true }).connection.tls).to.deep.equal(MEMORY_TLS_INFO);
  });

  it('records log lines with secrets redacted and the session id on each', () => {
    const pair = createStreamPair({ sessionId: 'abc' });
    pair.connection.log.info({ password: 'hunter2', user: 'bob' }, 'login attempt');
    expect(pair.logLines).to.have.length(1);
    expect(pair.logLines[0]).to.include({ session: 'abc', password: '[redacted]', user: 'bob', msg: 'login attempt' });
    expect(JSON.stringify(pair.logLines)).to.not.contain('hunter2');
  });
});
