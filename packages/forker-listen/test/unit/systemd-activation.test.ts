import { expect } from 'chai';
import { parseListeners, planListeners, takeActivatedSockets } from '@pigeondeliver/forker-listen';

describe('forker-listen systemd-activation', () => {
  it('reads LISTEN_* for this pid and removes them', () => {
    const env: NodeJS.ProcessEnv = { LISTEN_FDS: '2', LISTEN_PID: '42', LISTEN_FDNAMES: 'imap:pd-pop3.socket' };
    expect(takeActivatedSockets(env, 42)).to.deep.equal([
      { fd: 3, name: 'imap' },
      { fd: 4, name: 'pd-pop3' },
    ]);
    expect(env).to.deep.equal({});
  });

  it('ignores sockets meant for another pid (a wrapper that forked)', () => {
    const env: NodeJS.ProcessEnv = { LISTEN_FDS: '1', LISTEN_PID: '41' };
    expect(takeActivatedSockets(env, 42)).to.deep.equal([]);
    expect(env.LISTEN_FDS).to.equal(undefined);
  });

  it('maps sockets to listeners by name and binds the rest itself', () => {
    const plan = planListeners(parseListeners('imap=systemd, imap=[::1]:143, pop3=127.0.0.1:110'), [
      { fd: 3, name: 'imap' },
      { fd: 4, name: 'imap' },
    ]);
    expect(plan.map((p) => [p.spec.name, p.bindings])).to.deep.equal([
      ['imap', [{ kind: 'fd', fd: 3 }, { kind: 'fd', fd: 4 }]],
      ['pop3', [{ kind: 'address', address: '127.0.0.1', port: 110 }]],
    ]);
  });

  it('gives an unnamed socket to the only listener', () => {
    const plan = planListeners(parseListeners('imap=127.0.0.1:143'), [{ fd: 3, name: 'unknown' }]);
    expect(plan[0]!.bindings).to.deep.equal([{ kind: 'fd', fd: 3 }]);
  });

  it('refuses a socket no listener claims, and a systemd listener without a socket', () => {
    expect(() => planListeners(parseListeners('imap=127.0.0.1:143'), [{ fd: 3, name: 'pop3' }])).to.throw(/systemd passed socket "pop3" \(fd 3\)/);
    expect(() => planListeners(parseListeners('imap=systemd'), [])).to.throw(/expects a socket from systemd/);
  });
});
