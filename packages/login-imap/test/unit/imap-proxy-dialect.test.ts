import { expect } from 'chai';
import { DEFAULT_LIMITS, ProxyFailure } from '@pigeondeliver/core';
import { ImapProxyDialect, ImapProxyError } from '@pigeondeliver/login-imap';
import { duplexPair } from '@pigeondeliver/test-fixtures/stream-pair';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';
import { testUserRecord } from '@pigeondeliver/test-fixtures/preauth-server';

function session(login: string) {
  return {
    sessionId: 's', protocol: 'imap' as const, user: testUserRecord({ login }), mechanism: 'PLAIN', loginTag: 'a1', capabilityRequested: false,
    pipelined: Buffer.alloc(0), remote: { address: '192.0.2.9', port: 1 }, local: { address: '192.0.2.1', port: 143 }, secured: true, trusted: false, hops: 0,
  };
}

describe('ImapProxyDialect', () => {
  it('logs in with quoted strings and keeps what follows the OK in the stream', async () => {
    const [ours, remote] = duplexPair();
    const server = new ScriptedClient(remote);
    const done = new ImapProxyDialect(DEFAULT_LIMITS).plainLogin(ours, session('alice'), 'secret');
    server.send('* OK remote ready');
    await server.run('S: pd1 LOGIN "alice" "secret"');
    server.send('pd1 OK Logged in\r\n* 1 EXISTS');
    await done;
    const rest = ours.read() as Buffer;
    expect(rest.toString()).to.equal('* 1 EXISTS\r\n');
  });

  it('sends non-simple strings as synchronizing literals and maps NO to AuthFailed', async () => {
    const [ours, remote] = duplexPair();
    const server = new ScriptedClient(remote);
    const done = new ImapProxyDialect(DEFAULT_LIMITS).plainLogin(ours, session('jürgen'), 'pa"ss');
    server.send('* OK ready');
    await server.run('S: pd1 LOGIN {7}');
    server.send('+ go');
    await server.run('S: jürgen {5}');
    server.send('+ go');
    await server.run('S: pa"ss');
    server.send('pd1 NO [AUTHENTICATIONFAILED] nope');
    try {
      await done;
      expect.fail('should reject');
    } catch (e) {
      expect(e).to.be.instanceOf(ImapProxyError);
      expect((e as ImapProxyError).failure).to.equal(ProxyFailure.AuthFailed);
    }
  });

  it('a BYE greeting is RemoteRefused', async () => {
    const [ours, remote] = duplexPair();
    const server = new ScriptedClient(remote);
    const done = new ImapProxyDialect(DEFAULT_LIMITS).plainLogin(ours, session('alice'), 'x');
    server.send('* BYE go away');
    const e = await done.then(() => undefined, (err: unknown) => err);
    expect((e as ImapProxyError).failure).to.equal(ProxyFailure.RemoteRefused);
  });
});
