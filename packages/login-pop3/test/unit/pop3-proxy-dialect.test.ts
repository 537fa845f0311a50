import { expect } from 'chai';
import { DEFAULT_LIMITS, ProxyFailure, type AuthenticatedSession } from '@pigeondeliver/core';
import { duplexPair } from '@pigeondeliver/test-fixtures/stream-pair';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';
import { testUserRecord } from '@pigeondeliver/test-fixtures/preauth-server';
import { Pop3ProxyDialect, Pop3ProxyError } from '@pigeondeliver/login-pop3';

function session(login = 'alice'): AuthenticatedSession {
  return {
    sessionId: 's1',
    protocol: 'pop3',
    user: testUserRecord({ login }),
    mechanism: 'USER',
    loginTag: '',
    capabilityRequested: false,
    pipelined: Buffer.alloc(0),
    remote: { address: '192.0.2.10', port: 40000 },
    local: { address: '192.0.2.1', port: 110 },
    secured: false,
    trusted: false,
    hops: 0,
  };
}

/** Runs plainLogin against a scripted remote; resolves with the error (or undefined) and the remote's transcript. */
async function attempt(
  script: (remote: ScriptedClient) => Promise<void>,
  password = 'secret',
  backendTimeout = 2000,
): Promise<{ error: Pop3ProxyError | undefined; sent: string[]; ours: ReturnType<typeof duplexPair>[0] }> {
  const [ours, theirs] = duplexPair();
  const remote = new ScriptedClient(theirs, 2000);
  const sent: string[] = [];
  const dialect = new Pop3ProxyDialect({ ...DEFAULT_LIMITS, backendTimeout });
  const login = dialect.plainLogin(ours, session(), password).then(
    () => undefined,
    (e: unknown) => e as Pop3ProxyError,
  );
  await script(remote).catch(() => undefined);
  const error = await login;
  sent.push(...remote.received);
  return { error, sent, ours };
}

describe('Pop3ProxyDialect', () => {
  it('USER/PASS to a POP3 server; bytes after the +OK stay in the stream for the relay', async () => {
    const { error, sent, ours } = await attempt(async (r) => {
      r.send('+OK Foreign POP3 ready.');
      await r.expect('USER alice');
      r.send('+OK');
      await r.expect('PASS pass word');
      r.send(Buffer.from('+OK Logged in.\r\nextra'));
    }, 'pass word');
    expect(error).to.equal(undefined);
    expect(sent).to.deep.equal(['USER alice', 'PASS pass word']);
    const rest = ours.read() as Buffer | null;
    expect(rest?.toString()).to.equal('extra');
  });

  it('classifies failures: -ERR greeting, bad greeting, [IN-USE], [SYS/TEMP], plain -ERR, garbage', async () => {
    const cases: Array<{ replies: string[]; failure: ProxyFailure }> = [
      { replies: ['-ERR [SYS/TEMP] go away'], failure: ProxyFailure.RemoteRefused },
      { replies: ['* OK IMAP4rev1'], failure: ProxyFailure.Protocol },
      { replies: ['+OK', '+OK', '-ERR [IN-USE] Mailbox locked'], failure: ProxyFailure.RemoteRefused },
      { replies: ['+OK', '+OK', '-ERR [SYS/TEMP] try later'], failure: ProxyFailure.RemoteRefused },
      { replies: ['+OK', '-ERR [AUTH] no such user'], failure: ProxyFailure.AuthFailed },
      { replies: ['+OK', '+OK', '-ERR [AUTH] Authentication failed.'], failure: ProxyFailure.AuthFailed },
      { replies: ['+OK', '+OK', 'what?'], failure: ProxyFailure.Protocol },
    ];
    for (const c of cases) {
      const { error } = await attempt(async (r) => {
        for (const [i, reply] of c.replies.entries()) {
          if (i > 0) await r.readLine();
          r.send(reply);
        }
      });
      expect(error, c.replies.join(' / ')).to.be.instanceOf(Pop3ProxyError);
      expect(error!.failure, c.replies.join(' / ')).to.equal(c.failure);
      expect(error!.message).to.not.include('secret');
    }
  });

  it('a closed or silent remote is a protocol failure or a timeout', async () => {
    const closed = await attempt(async (r) => {
      r.stream.end();
    });
    expect(closed.error!.failure).to.equal(ProxyFailure.Protocol);
    const silent = await attempt(async () => undefined, 'secret', 50);
    expect(silent.error!.failure).to.equal(ProxyFailure.Timeout);
  });

  it('never sends a password with CR, LF or NUL (command injection)', async () => {
    const { error, sent } = await attempt(async (r) => {
      r.send('+OK');
    }, 'x\r\nDELE 1');
    expect(error!.failure).to.equal(ProxyFailure.AuthFailed);
    expect(sent).to.deep.equal([]);
  });
});
