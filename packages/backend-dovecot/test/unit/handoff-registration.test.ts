import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { BackendError, type AuthenticatedSession } from '@pigeondeliver/core';
import { decodeHandoffRegistration, encodeHandoffRegistration, isHandoffRegistrar, PendingHandoffs } from '@pigeondeliver/backend-dovecot';
import { testUserRecord } from '@pigeondeliver/test-fixtures/preauth-server';

const session = {
  sessionId: 's9',
  protocol: 'pop3',
  user: testUserRecord({ login: 'bob', uid: 5000, gid: 5001, home: '/home/bob' }),
  loginTag: '',
} as unknown as AuthenticatedSession;

describe('hand-off registrations (workers that send descriptors themselves, decision 0007 §5)', () => {
  it('round-trip through JSON; malformed ones are refused', () => {
    const cookie = randomBytes(16);
    const wire = JSON.parse(JSON.stringify(encodeHandoffRegistration(session, 1234, cookie))) as Record<string, unknown>;
    const back = decodeHandoffRegistration(wire);
    expect([back.authId, back.sessionId, back.protocol, back.user.login, back.user.uid]).to.deep.equal([1234, 's9', 'pop3', 'bob', 5000]);
    expect(back.cookie.equals(cookie)).to.equal(true);
    for (const bad of [{ ...wire, authId: 0 }, { ...wire, authId: 2 ** 31 }, { ...wire, cookie: 'zz' }, { ...wire, protocol: 'smtp' }, { ...wire, user: { login: 5 } }, null]) {
      expect(() => decodeHandoffRegistration(bad)).to.throw(BackendError, /malformed/);
    }
    expect(isHandoffRegistrar({ registerHandoff: () => true })).to.equal(true);
    expect(isHandoffRegistrar({})).to.equal(false);
  });

  it('a registered entry is taken once by the registering pid; live or recent ids cannot be registered again', () => {
    const table = new PendingHandoffs(1000);
    const cookie = randomBytes(16);
    const entry = { authId: 77, cookie, clientPid: 4242, user: 'bob', fields: [], sessionId: 's' };
    expect(table.register(entry)).to.equal(true);
    expect(table.register({ ...entry, cookie: randomBytes(16) })).to.equal(false);
    expect(table.take(77, cookie.toString('hex'), 4243)).to.deep.include({ ok: false, reason: 'wrong client pid' });
    // Consumed by the failed attempt (single use): neither taking nor registering it again works.
    expect(table.register(entry)).to.equal(false);
    expect(table.take(77, cookie.toString('hex'), 4242)).to.deep.include({ ok: false, reason: 'replayed' });
    expect(table.register({ ...entry, authId: 78, cookie: Buffer.alloc(3) })).to.equal(false);
  });

  it('a REQUEST can wait for a registration still on its way, and gives up after the timeout', async () => {
    const table = new PendingHandoffs(1000);
    expect(table.isUnknown(90)).to.equal(true);
    const waiting = table.whenRegistered(90, 5000);
    table.register({ authId: 90, cookie: randomBytes(16), clientPid: 1, user: 'u', fields: [], sessionId: 's' });
    await waiting;
    expect(table.isUnknown(90)).to.equal(false);
    const started = Date.now();
    await table.whenRegistered(91, 20);
    expect(Date.now() - started).to.be.lessThan(4000);
    expect(table.isUnknown(91)).to.equal(true);
  });
});
