import { expect } from 'chai';
import {
  HIDDEN,
  PenaltyTracker,
  TrustedNetworks,
  addressPrefixKey,
  decodeBase64Strict,
  parseSaslResponseLine,
  parseSniEntry,
  redactCommand,
} from '@pigeondeliver/login-common';

describe('redactCommand', () => {
  it('hides credentials of IMAP and POP3 commands', () => {
    expect(redactCommand('a1 LOGIN alice secret')).to.equal(`a1 LOGIN ${HIDDEN}`);
    expect(redactCommand('a1 login "alice" {6+}')).to.equal(`a1 login ${HIDDEN}`);
    expect(redactCommand('a2 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==')).to.equal(`a2 AUTHENTICATE PLAIN ${HIDDEN}`);
    expect(redactCommand('a2 AUTHENTICATE PLAIN')).to.equal('a2 AUTHENTICATE PLAIN');
    expect(redactCommand('PASS hunter2\r\n')).to.equal(`PASS ${HIDDEN}`);
    expect(redactCommand('APOP alice c4c9334bac560ecc979e58001b3e22fb')).to.equal(`APOP ${HIDDEN}`);
    expect(redactCommand('AUTH PLAIN AGFsaWNl')).to.equal(`AUTH PLAIN ${HIDDEN}`);
    expect(redactCommand('USER alice')).to.equal('USER alice');
    expect(redactCommand('a3 NOOP')).to.equal('a3 NOOP');
  });
  it('escapes control characters and bounds the length', () => {
    expect(redactCommand('a\x00b\x1b')).to.equal('a\\x00b\\x1b');
    expect(redactCommand('x'.repeat(500))).to.have.length(203);
  });
});

describe('SASL text helpers', () => {
  it('decodes strict base64 only', () => {
    expect(decodeBase64Strict('AGFsaWNl')!.toString('latin1')).to.equal('\0alice');
    expect(decodeBase64Strict('')!.length).to.equal(0);
    expect(decodeBase64Strict('AGFsaWN')).to.equal(undefined);
    expect(decodeBase64Strict('AG Fs')).to.equal(undefined);
    expect(decodeBase64Strict('not!base64')).to.equal(undefined);
  });
  it('parses response lines: * cancels, bad base64 is flagged', () => {
    expect(parseSaslResponseLine('*')).to.deep.equal({ kind: 'cancel' });
    expect(parseSaslResponseLine('%%%').kind).to.equal('bad-base64');
    expect(parseSaslResponseLine('').kind).to.equal('data');
  });
});

describe('TrustedNetworks', () => {
  it('matches IPv4, IPv6 and IPv4-mapped addresses', () => {
    const t = new TrustedNetworks(['127.0.0.0/8', '10.1.0.0/16', '::1/128', '2001:db8::/32', '192.0.2.5']);
    expect(t.contains('127.0.0.1')).to.equal(true);
    expect(t.contains('::ffff:10.1.2.3')).to.equal(true);
    expect(t.contains('10.2.0.1')).to.equal(false);
    expect(t.contains('2001:db8:1::5')).to.equal(true);
    expect(t.contains('2001:db9::1')).to.equal(false);
    expect(t.contains('192.0.2.5')).to.equal(true);
    expect(t.contains('')).to.equal(false);
    expect(t.contains('garbage')).to.equal(false);
  });
  it('refuses bad entries naming trusted_networks', () => {
    for (const bad of ['10.0.0.0/33', 'foo', '::1/129', '10.0.0.0/8/1', '10.0.0.0/x']) {
      expect(() => new TrustedNetworks([bad]), bad).to.throw(/trusted_networks/);
    }
  });
});

describe('addressPrefixKey', () => {
  it('keeps IPv4, unwraps mapped IPv4, cuts IPv6 to the prefix', () => {
    expect(addressPrefixKey('192.0.2.1', 64)).to.equal('192.0.2.1');
    expect(addressPrefixKey('::ffff:192.0.2.1', 64)).to.equal('192.0.2.1');
    expect(addressPrefixKey('2001:db8:1:2:aaaa::1', 64)).to.equal('2001:db8:1:2:0:0:0:0/64');
    expect(addressPrefixKey('2001:db8:1:2:bbbb::9', 64)).to.equal(addressPrefixKey('2001:db8:1:2::1', 64));
    expect(addressPrefixKey('2001:db8:1:2::1', 56)).to.equal('2001:db8:1:0:0:0:0:0/56');
  });
});

describe('PenaltyTracker', () => {
  const settings = { initial: 2000, max: 15000, memory: 60_000, maxEntries: 3, ipv6Prefix: 64 };
  it('doubles from the initial delay up to the cap', () => {
    const p = new PenaltyTracker(settings);
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      delays.push(p.delayFor('192.0.2.1'));
      p.recordFailure('192.0.2.1', `fp${i}`);
    }
    expect(delays).to.deep.equal([0, 2000, 4000, 8000, 15000, 15000]);
  });
  it('counts the same user+password once, shares an IPv6 /64, clears on success', () => {
    const p = new PenaltyTracker(settings);
    p.recordFailure('192.0.2.1', 'same');
    p.recordFailure('192.0.2.1', 'same');
    expect(p.failures('192.0.2.1')).to.equal(1);
    p.recordFailure('2001:db8::1');
    p.recordFailure('2001:db8::2');
    expect(p.failures('2001:db8::ffff')).to.equal(2);
    expect(p.failures('2001:db8:0:1::1')).to.equal(0);
    p.recordSuccess('192.0.2.1');
    expect(p.delayFor('192.0.2.1')).to.equal(0);
  });
  it('forgets after the memory time and keeps at most maxEntries (LRU)', () => {
    let now = 0;
    const p = new PenaltyTracker(settings, () => now);
    p.recordFailure('192.0.2.1');
    now = 60_001;
    expect(p.failures('192.0.2.1')).to.equal(0);
    for (const a of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) p.recordFailure(a);
    expect(p.size).to.equal(3);
    expect(p.failures('10.0.0.1')).to.equal(0);
    expect(p.failures('10.0.0.4')).to.equal(1);
  });
});

describe('parseSniEntry', () => {
  it('parses name:cert:key and refuses other shapes', () => {
    expect(parseSniEntry('Mail.Example.org:/c.pem:/k.pem')).to.deep.equal({ name: 'mail.example.org', certFile: '/c.pem', keyFile: '/k.pem' });
    expect(() => parseSniEntry('x:/c.pem')).to.throw(/tls_sni_certs/);
  });
});
