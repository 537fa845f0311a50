import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { AuthResult, type TlsInfo } from '@pigeondeliver/core';
import {
  DovecotPasswordVerifier,
  MechanismRefusal,
  SaslExchange,
  SaslMechanismRegistry,
  defaultLoginCommonSettings,
  type SaslExchangeStep,
} from '@pigeondeliver/login-common';
import { hashPassword } from '@pigeondeliver/passwords';
import { FakeAuthenticator } from '@pigeondeliver/test-fixtures/fake-authenticator';
import { ScramClient, authParts, type AuthParts } from '../support.js';

const facts = (over: Partial<{ secured: boolean; trusted: boolean; tls: TlsInfo }> = {}) => ({
  sessionId: 's1',
  protocol: 'imap' as const,
  remote: { address: '192.0.2.9', port: 1234 },
  local: { address: '192.0.2.1', port: 143 },
  secured: true,
  trusted: false,
  hostname: 'mail.test',
  ...over,
});

const registries = new WeakMap<AuthParts, SaslMechanismRegistry>();

/** One registry per process in real life (its fake-salt secret is per registry). */
function exchange(parts: AuthParts, name: string, over: Parameters<typeof facts>[0] = {}): SaslExchange {
  const registry = registries.get(parts) ?? new SaslMechanismRegistry(parts.settings, parts.verifier);
  registries.set(parts, registry);
  const f = facts(over);
  const m = registry.select(name, f, parts.authenticator);
  if (typeof m === 'string') throw new Error(`mechanism ${name} refused: ${m}`);
  return new SaslExchange(m, parts.authenticator, f);
}

function expectDone(step: SaslExchangeStep, result: AuthResult): void {
  expect(step.kind, JSON.stringify(step)).to.equal('done');
  if (step.kind === 'done') expect(step.outcome.result).to.equal(result);
}

describe('SASL mechanisms through SaslExchange', () => {
  it('PLAIN (RFC 4616): initial response, empty challenge, authzid rules, malformed messages', async () => {
    const p = authParts();
    expectDone(await exchange(p, 'PLAIN').start(Buffer.from('\0alice\0secret')), AuthResult.Ok);
    expectDone(await exchange(p, 'PLAIN').start(Buffer.from('alice\0alice\0secret')), AuthResult.Ok);
    expectDone(await exchange(p, 'PLAIN').start(Buffer.from('bob\0alice\0secret')), AuthResult.BadCredentials);
    const ex = exchange(p, 'PLAIN');
    const ch = await ex.start(undefined);
    expect(ch).to.deep.equal({ kind: 'challenge', data: Buffer.alloc(0) });
    expectDone(await ex.respond(Buffer.from('\0alice\0wrong')), AuthResult.BadCredentials);
    expect((await exchange(p, 'PLAIN').start(Buffer.from('alice secret'))).kind).to.equal('malformed');
    expect((await exchange(p, 'PLAIN').start(Buffer.from('\0\xff\xfe\0x', 'latin1'))).kind).to.equal('malformed');
    expect((await exchange(p, 'PLAIN').start(Buffer.alloc(0))).kind).to.equal('malformed');
  });

  it('LOGIN: Username:/Password: challenges', async () => {
    const p = authParts();
    const ex = exchange(p, 'LOGIN');
    expect((await ex.start(undefined)) as unknown).to.deep.equal({ kind: 'challenge', data: Buffer.from('Username:') });
    expect((await ex.respond(Buffer.from('alice'))) as unknown).to.deep.equal({ kind: 'challenge', data: Buffer.from('Password:') });
    expectDone(await ex.respond(Buffer.from('secret')), AuthResult.Ok);
  });

  it('CRAM-MD5 (RFC 2195): unique msg-id challenge, digest check', async () => {
    const p = authParts();
    const ex = exchange(p, 'CRAM-MD5');
    const ch = await ex.start(undefined);
    if (ch.kind !== 'challenge') throw new Error('no challenge');
    expect(ch.data.toString()).to.match(/^<[0-9a-f]+\.\d+@mail\.test>$/);
    const digest = createHmac('md5', 'secret').update(ch.data).digest('hex');
    expectDone(await ex.respond(Buffer.from(`alice ${digest}`)), AuthResult.Ok);
    const ex2 = exchange(p, 'CRAM-MD5');
    await ex2.start(undefined);
    expectDone(await ex2.respond(Buffer.from(`alice ${'0'.repeat(32)}`)), AuthResult.BadCredentials);
    const ex3 = exchange(p, 'CRAM-MD5');
    await ex3.start(undefined);
    expect((await ex3.respond(Buffer.from('alice nothex'))).kind).to.equal('malformed');
  });

  for (const [name, hash] of [['SCRAM-SHA-1', 'sha1'], ['SCRAM-SHA-256', 'sha256']] as const) {
    it(`${name}: full exchange with server signature, wrong proof, unknown user with a stable fake salt`, async () => {
      const p = authParts();
      const client = new ScramClient(hash, 'alice', 'secret');
      const ex = exchange(p, name);
      const first = await ex.start(client.first());
      if (first.kind !== 'challenge') throw new Error(JSON.stringify(first));
      expect(first.data.toString()).to.match(new RegExp(`^r=${client.nonce.replace(/[+/]/g, '\\$&')}[^,]+,s=[^,]+,i=4096$`));
      const fin = await ex.respond(client.final(first.data));
      if (fin.kind !== 'challenge') throw new Error(JSON.stringify(fin));
      expect(client.verifyServerFinal(fin.data)).to.equal(true);
      expectDone(await ex.respond(Buffer.alloc(0)), AuthResult.Ok);

      const bad = new ScramClient(hash, 'alice', 'secret');
      const ex2 = exchange(p, name);
      const f2 = await ex2.start(bad.first());
      expectDone(await ex2.respond(bad.final((f2 as { data: Buffer }).data, true)), AuthResult.BadCredentials);

      const salts: string[] = [];
      for (let i = 0; i < 2; i++) {
        const ghost = new ScramClient(hash, 'ghost', 'x');
        const ex3 = exchange(p, name);
        const f3 = await ex3.start(ghost.first());
        salts.push(/s=([^,]+)/.exec((f3 as { data: Buffer }).data.toString())![1]!);
        expectDone(await ex3.respond(ghost.final((f3 as { data: Buffer }).data)), AuthResult.BadCredentials);
      }
      expect(salts[0]).to.equal(salts[1]);
    });
  }

  it('SCRAM looks the user up once per attempt and refuses channel binding and bad nonces', async () => {
    const p = authParts();
    const client = new ScramClient('sha256', 'alice', 'secret');
    const ex = exchange(p, 'SCRAM-SHA-256');
    const first = await ex.start(client.first());
    await ex.respond(client.final((first as { data: Buffer }).data));
    expect(p.users.lookups).to.equal(1);
    expect((await exchange(p, 'SCRAM-SHA-256').start(Buffer.from('p=tls-unique,,n=alice,r=abc'))).kind).to.equal('malformed');
    expect((await exchange(p, 'SCRAM-SHA-256').start(Buffer.from('n,,n=alice'))).kind).to.equal('malformed');
    const y = new ScramClient('sha256', 'alice', 'secret', 'y,,');
    const ex2 = exchange(p, 'SCRAM-SHA-256');
    const f2 = await ex2.start(y.first());
    expect((await ex2.respond(y.final((f2 as { data: Buffer }).data))).kind).to.equal('challenge');
    const ex3 = exchange(p, 'SCRAM-SHA-256');
    const c3 = new ScramClient('sha256', 'alice', 'secret');
    await ex3.start(c3.first());
    expect((await ex3.respond(Buffer.from('c=biws,r=othernonce,p=AAAA'))).kind).to.equal('malformed');
  });

  it('SCRAM with the database down is a temporary failure', async () => {
    const p = authParts();
    p.users.unavailable = true;
    const ex = exchange(p, 'SCRAM-SHA-1');
    expectDone(await ex.start(new ScramClient('sha1', 'alice', 'secret').first()), AuthResult.TempFail);
  });

  it('works with real Dovecot hashes through DovecotPasswordVerifier', async () => {
    const verifier = new DovecotPasswordVerifier(defaultLoginCommonSettings());
    const p = authParts({ verifier });
    p.users.users.set('alice', { ...p.users.users.get('alice')!, password: await hashPassword('SCRAM-SHA-256', 'secret') });
    const client = new ScramClient('sha256', 'alice', 'secret');
    const ex = exchange(p, 'SCRAM-SHA-256');
    const first = await ex.start(client.first());
    const fin = await ex.respond(client.final((first as { data: Buffer }).data));
    expect(client.verifyServerFinal((fin as { data: Buffer }).data)).to.equal(true);
    expectDone(await ex.respond(Buffer.alloc(0)), AuthResult.Ok);

    p.users.users.set('alice', { ...p.users.users.get('alice')!, password: await hashPassword('CRAM-MD5', 'secret') });
    const ex2 = exchange(p, 'CRAM-MD5');
    const ch = (await ex2.start(undefined)) as { data: Buffer };
    expectDone(await ex2.respond(Buffer.from(`alice ${createHmac('md5', 'secret').update(ch.data).digest('hex')}`)), AuthResult.Ok);

    p.users.users.set('alice', { ...p.users.users.get('alice')!, password: await hashPassword('SHA512-CRYPT', 'secret') });
    expectDone(await exchange(p, 'PLAIN').start(Buffer.from('\0alice\0secret')), AuthResult.Ok);
    // A one-way hash cannot serve CRAM-MD5: the normal bad-credentials reply.
    const ex3 = exchange(p, 'CRAM-MD5');
    const ch3 = (await ex3.start(undefined)) as { data: Buffer };
    expectDone(await ex3.respond(Buffer.from(`alice ${createHmac('md5', 'secret').update(ch3.data).digest('hex')}`)), AuthResult.BadCredentials);
  });

  it('EXTERNAL uses the verified client certificate identity', async () => {
    const p = authParts();
    const cert = (cn: string, authorized = true): TlsInfo => ({ protocol: 'TLSv1.3', cipher: 'x', peerCertificate: { subject: { CN: cn }, fingerprint256: 'AA', authorized } });
    expectDone(await exchange(p, 'EXTERNAL', { tls: cert('alice') }).start(Buffer.alloc(0)), AuthResult.Ok);
    expectDone(await exchange(p, 'EXTERNAL', { tls: cert('alice') }).start(Buffer.from('alice')), AuthResult.Ok);
    expectDone(await exchange(p, 'EXTERNAL', { tls: cert('alice') }).start(Buffer.from('bob')), AuthResult.BadCredentials);
    const registry = new SaslMechanismRegistry(p.settings, p.verifier);
    expect(registry.select('EXTERNAL', facts({ tls: cert('alice', false) }), p.authenticator)).to.equal(MechanismRefusal.Unavailable);
  });
});

describe('SaslMechanismRegistry', () => {
  it('advertises plaintext mechanisms only on secured or trusted connections unless allowed', () => {
    const p = authParts({ settings: { challengeMechanisms: false } });
    const r = new SaslMechanismRegistry(p.settings, p.verifier);
    expect(r.advertised({ secured: false, trusted: false }, p.authenticator)).to.deep.equal([]);
    expect(r.advertised({ secured: true, trusted: false }, p.authenticator)).to.deep.equal(['PLAIN', 'LOGIN']);
    expect(r.advertised({ secured: false, trusted: true }, p.authenticator)).to.deep.equal(['PLAIN', 'LOGIN']);
    expect(r.select('plain', { secured: false, trusted: false }, p.authenticator)).to.equal(MechanismRefusal.PrivacyRequired);
    expect(r.select('CRAM-MD5', { secured: true, trusted: false }, p.authenticator)).to.equal(MechanismRefusal.Unavailable);
    expect(r.select('NTLM', { secured: true, trusted: false }, p.authenticator)).to.equal(MechanismRefusal.Unknown);
    const open = authParts({ settings: { plaintextWithoutTls: true, challengeMechanisms: true } });
    const r2 = new SaslMechanismRegistry(open.settings, open.verifier);
    expect(r2.advertised({ secured: false, trusted: false }, open.authenticator)).to.deep.equal(['SCRAM-SHA-256', 'SCRAM-SHA-1', 'CRAM-MD5', 'PLAIN', 'LOGIN']);
    // SCRAM needs an authenticator that can read stored passwords first.
    expect(r2.advertised({ secured: true, trusted: false }, new FakeAuthenticator())).to.deep.equal(['CRAM-MD5', 'PLAIN', 'LOGIN']);
  });
  it('refuses unknown names in sasl_mechanisms', () => {
    const p = authParts();
    expect(() => new SaslMechanismRegistry(defaultLoginCommonSettings({ saslMechanisms: ['PLAIN', 'GSSAPI'] }), p.verifier)).to.throw(/sasl_mechanisms.*GSSAPI/);
  });
});
