import { expect } from 'chai';
import { recordingLogger } from '@pigeondeliver/test-fixtures/stream-pair';
import { AuthResult, type AuthRequest } from '@pigeondeliver/core';
import { authParts } from '../support.js';

const request = (over: Partial<AuthRequest> & { password?: string } = {}): AuthRequest => {
  const { password = 'secret', ...rest } = over;
  return {
    sessionId: 's1',
    protocol: 'imap',
    mechanism: 'LOGIN',
    login: 'alice',
    credentials: { kind: 'password', password: Buffer.from(password) },
    remote: { address: '192.0.2.9', port: 1234 },
    local: { address: '192.0.2.1', port: 143 },
    secured: true,
    trusted: false,
    ...rest,
  };
};

describe('Authenticator', () => {
  it('maps users to results; state is revealed only after the password is proven', async () => {
    const p = authParts();
    const a = p.authenticator;
    expect((await a.authenticate(request())).result).to.equal(AuthResult.Ok);
    expect((await a.authenticate(request({ password: 'wrong' }))).result).to.equal(AuthResult.BadCredentials);
    expect((await a.authenticate(request({ login: 'bob' }))).result).to.equal(AuthResult.UserDisabled);
    expect((await a.authenticate(request({ login: 'bob', password: 'wrong' }))).result).to.equal(AuthResult.BadCredentials);
    expect((await a.authenticate(request({ login: 'carol' }))).result).to.equal(AuthResult.ProtocolNotAllowed);
    expect((await a.authenticate(request({ login: 'carol', protocol: 'pop3' }))).result).to.equal(AuthResult.Ok);
    expect((await a.authenticate(request({ login: 'nopw' }))).result).to.equal(AuthResult.BadCredentials);
    expect((await a.authenticate(request({ login: 'alice', credentials: { kind: 'external' } }))).result).to.equal(AuthResult.Ok);
    expect((await a.authenticate(request({ login: 'ghost', credentials: { kind: 'external' } }))).result).to.equal(AuthResult.BadCredentials);
  });

  it('verifies unknown users against the dummy hash (same work), one lookup per attempt', async () => {
    const p = authParts();
    const before = p.users.lookups;
    const v = p.verifier as { verifications: number };
    const n = v.verifications;
    expect((await p.authenticator.authenticate(request({ login: 'ghost' }))).result).to.equal(AuthResult.BadCredentials);
    expect(v.verifications).to.equal(n + 1);
    expect(p.users.lookups).to.equal(before + 1);
  });

  it('database down, slow database and unusable hashes are TempFail, without penalty', async () => {
    const p = authParts({ limits: { authTimeout: 50, penaltyInitial: 1000 } });
    p.users.unavailable = true;
    const down = await p.authenticator.authenticate(request());
    expect(down.result).to.equal(AuthResult.TempFail);
    expect(down.reason).to.match(/DatabaseUnavailableError/);
    p.users.unavailable = false;
    p.users.delayMs = 200;
    const slow = await p.authenticator.authenticate(request());
    expect(slow.result).to.equal(AuthResult.TempFail);
    expect(slow.reason).to.match(/timed out/);
    p.users.delayMs = 0;
    p.users.users.set('alice', { ...p.users.users.get('alice')!, password: '{FAIL}x' });
    expect((await p.authenticator.authenticate(request())).result).to.equal(AuthResult.TempFail);
    expect(p.penalty.size).to.equal(0);
  });

  it('applies the escalating penalty per address, counting a repeated wrong password once; trusted clients are exempt', async () => {
    const p = authParts({ limits: { penaltyInitial: 30, penaltyMax: 60 } });
    await p.authenticator.authenticate(request({ password: 'w1' }));
    await p.authenticator.authenticate(request({ password: 'w1' }));
    expect(p.penalty.failures('192.0.2.9')).to.equal(1);
    await p.authenticator.authenticate(request({ password: 'w2' }));
    expect(p.penalty.delayFor('192.0.2.9')).to.equal(60);
    const started = Date.now();
    await p.authenticator.authenticate(request({ password: 'w3' }));
    expect(Date.now() - started).to.be.at.least(55);
    // The real user from another address is not slowed down or locked out.
    const other = await p.authenticator.authenticate(request({ remote: { address: '198.51.100.1', port: 1 } }));
    expect(other.result).to.equal(AuthResult.Ok);
    await p.authenticator.authenticate(request({ trusted: true, remote: { address: '127.0.0.1', port: 1 }, password: 'x' }));
    expect(p.penalty.failures('127.0.0.1')).to.equal(0);
    // Success clears the address.
    await p.authenticator.authenticate(request());
    expect(p.penalty.failures('192.0.2.9')).to.equal(0);
  });

  it('logs one line per attempt with the facts and no secret', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = recordingLogger(lines);
    const p = authParts({ logger });
    await p.authenticator.authenticate(request({ password: 'TopSecret!' }));
    expect(lines).to.have.length(1);
    const l = lines[0]!;
    expect(l).to.include({ session: 's1', event: 'auth', user: 'alice', mechanism: 'LOGIN', client: '192.0.2.9:1234', local: '192.0.2.1:143', tls: true, result: 'bad-credentials' });
    expect(l).to.have.property('durationMs');
    expect(JSON.stringify(lines)).to.not.include('TopSecret');
  });

  it('records successful logins (best effort)', async () => {
    const p = authParts();
    await p.authenticator.authenticate(request());
    expect(p.users.loginsRecorded).to.deep.equal([{ login: 'alice', address: '192.0.2.9' }]);
  });
});
