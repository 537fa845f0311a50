import { expect } from 'chai';
import { DEFAULT_LIMITS, silentLogger } from '@pigeondeliver/core';
import { SessionRouter, defaultLoginCommonSettings, type HandoffRequest } from '@pigeondeliver/login-common';
import { FakeBackend, FakeBackendRegistry } from '@pigeondeliver/test-fixtures/fake-backend';
import { testUserRecord } from '@pigeondeliver/test-fixtures/preauth-server';
import { createStreamPair } from '@pigeondeliver/test-fixtures/stream-pair';

function setup(...backends: FakeBackend[]) {
  const router = new SessionRouter(new FakeBackendRegistry(...backends), { ...DEFAULT_LIMITS, backendTimeout: 50 }, silentLogger(), defaultLoginCommonSettings({ nodeName: 'n1' }));
  const pair = createStreamPair({ trusted: true });
  const req = (user: Partial<Parameters<typeof testUserRecord>[0]> = {}): HandoffRequest => ({
    connection: pair.connection,
    protocol: 'imap',
    user: testUserRecord({ login: 'alice', ...user }),
    mechanism: 'PLAIN',
    loginTag: 'a1',
    capabilityRequested: true,
    pipelined: Buffer.from('a2 NOOP\r\n'),
  });
  return { router, pair, req };
}

describe('SessionRouter', () => {
  it('hands local users to their backend with the whole session', async () => {
    const dovecot = new FakeBackend('backend-dovecot');
    const courier = new FakeBackend('backend-courier');
    const { router, req, pair } = setup(dovecot, courier);
    expect(await router.handoff(req())).to.deep.equal({ ok: true, backend: 'backend-dovecot' });
    expect(await router.handoff(req({ backend: 'backend-courier', host: 'n1' }))).to.deep.equal({ ok: true, backend: 'backend-courier' });
    const s = dovecot.sessions[0]!;
    expect(s).to.deep.include({ sessionId: 'test-session', protocol: 'imap', mechanism: 'PLAIN', loginTag: 'a1', capabilityRequested: true, secured: false, trusted: true, hops: 0 });
    expect(s.pipelined.toString()).to.equal('a2 NOOP\r\n');
    expect(s.remote).to.deep.equal(pair.connection.remote);
  });

  it('proxies users of other nodes; without backend-proxy it fails cleanly', async () => {
    const proxy = new FakeBackend('backend-proxy');
    const local = new FakeBackend('backend-dovecot');
    expect(await setup(local, proxy).router.handoff(setup().req({ host: 'n2' }))).to.deep.equal({ ok: true, backend: 'backend-proxy' });
    const r = await setup(local).router.handoff(setup().req({ host: 'n2' }));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.reason).to.match(/node n2 but backend-proxy is not loaded/);
  });

  it('a rejecting or hanging backend is a failed handoff, never a throw', async () => {
    const b = new FakeBackend('backend-dovecot');
    const { router, req } = setup(b);
    b.mode = 'reject';
    expect((await router.handoff(req())).ok).to.equal(false);
    b.mode = 'hang';
    const r = await router.handoff(req());
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.reason).to.match(/within 50 ms/);
  });
});
