import { expect } from 'chai';
import { BackendError, type AuthenticatedSession } from '@pigeondeliver/core';
import { decodeDelegatedHandoff, encodeDelegatedHandoff, isHandoffDelegate } from '@pigeondeliver/backend-dovecot';
import { testUserRecord } from '@pigeondeliver/test-fixtures/preauth-server';

const session = {
  sessionId: 's1',
  protocol: 'imap',
  user: testUserRecord({ login: 'ann', uid: 5000, gid: 5001, home: '/home/ann' }),
  mechanism: 'PLAIN',
  loginTag: 'a1',
  capabilityRequested: true,
  pipelined: Buffer.from('a2 SELECT INBOX\r\n'),
  remote: { address: '192.0.2.1', port: 4000 },
  local: { address: '127.0.0.1', port: 143 },
  secured: false,
  trusted: false,
  hops: 0,
} as AuthenticatedSession;

describe('delegated hand-off payload (pd-forker-listen worker -> primary)', () => {
  it('round-trips the fields the hand-off needs through JSON, with the given pipelined bytes', () => {
    const wire = JSON.parse(JSON.stringify(encodeDelegatedHandoff(session, Buffer.from('more'), true))) as unknown;
    const { session: s, secured } = decodeDelegatedHandoff(wire);
    expect(secured).to.equal(true);
    expect(s.pipelined.toString()).to.equal('more');
    expect(s.user.login).to.equal('ann');
    expect([s.user.uid, s.user.gid, s.user.home]).to.deep.equal([5000, 5001, '/home/ann']);
    expect([s.loginTag, s.capabilityRequested, s.protocol]).to.deep.equal(['a1', true, 'imap']);
    expect(s.remote).to.deep.equal({ address: '192.0.2.1', port: 4000 });
    expect(JSON.stringify(wire)).to.not.match(/password/);
  });

  it('refuses malformed payloads', () => {
    const good = encodeDelegatedHandoff(session, Buffer.alloc(0), false) as unknown as Record<string, unknown>;
    for (const bad of [null, 'x', { ...good, protocol: 'smtp' }, { ...good, user: { ...(good.user as object), uid: 'root' } }, { ...good, remote: { address: 'x', port: 70000 } }]) {
      expect(() => decodeDelegatedHandoff(bad), JSON.stringify(bad)).to.throw(BackendError);
    }
  });

  it('recognises a launcher that can delegate', () => {
    expect(isHandoffDelegate({ delegate: async () => ({}) })).to.equal(true);
    expect(isHandoffDelegate({ launch: async () => ({ pid: 1 }) })).to.equal(false);
  });
});
