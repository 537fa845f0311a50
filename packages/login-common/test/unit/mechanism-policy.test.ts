import { expect } from 'chai';
import {
  CramMd5Mechanism,
  ExternalMechanism,
  KNOWN_SASL_MECHANISMS,
  LoginMechanism,
  MECHANISM_TRAITS,
  PlainMechanism,
  ScramMechanism,
  type PasswordVerifier,
  type SaslMechanism,
} from '@pigeondeliver/login-common';
import { greetingSecurity } from '@pigeondeliver/login-common/greeting';

describe('login-common mechanism policy (early greeting)', () => {
  it('MECHANISM_TRAITS say what the mechanism classes say', () => {
    const verifier = {} as PasswordVerifier;
    const all: SaslMechanism[] = [
      new ScramMechanism('SHA-256', verifier),
      new ScramMechanism('SHA-1', verifier),
      new CramMd5Mechanism(verifier),
      new PlainMechanism(),
      new LoginMechanism(),
      new ExternalMechanism('CN'),
    ];
    expect(all.map((m) => m.name)).to.deep.equal([...KNOWN_SASL_MECHANISMS]);
    for (const m of all) {
      const { plaintext, challengeResponse, clientCertificate, prefetch } = m;
      expect({ plaintext, challengeResponse, clientCertificate, prefetch }, m.name).to.deep.equal(MECHANISM_TRAITS[m.name as keyof typeof MECHANISM_TRAITS]);
    }
  });

  it('greetingSecurity follows the options: STARTTLS with tls_cert, plaintext only when trusted or allowed', () => {
    const opts = (o: Record<string, string>) => (k: string) => o[k];
    expect(greetingSecurity(opts({}), { secured: false, trusted: false })).to.deep.equal({ startTls: false, plaintextAllowed: false, mechanisms: [] });
    expect(greetingSecurity(opts({ tls_cert: '/x.pem' }), { secured: false, trusted: true })).to.deep.equal({
      startTls: true,
      plaintextAllowed: true,
      mechanisms: ['PLAIN', 'LOGIN'],
    });
    expect(greetingSecurity(opts({ tls_cert: '/x.pem', sasl_challenge_mechanisms: 'yes' }), { secured: true, trusted: false }).mechanisms).to.deep.equal([
      'SCRAM-SHA-256',
      'SCRAM-SHA-1',
      'CRAM-MD5',
      'PLAIN',
      'LOGIN',
    ]);
    expect(() => greetingSecurity(opts({ sasl_mechanisms: 'NOPE' }), { secured: false, trusted: false })).to.throw(/sasl_mechanisms/);
  });
});
