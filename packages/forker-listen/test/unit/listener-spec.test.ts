import { expect } from 'chai';
import { parseListeners, serviceOf } from '@pigeondeliver/forker-listen';

describe('forker-listen listener-spec', () => {
  it('parses IPv4, bracketed IPv6, * and flags', () => {
    const l = parseListeners('imap=127.0.0.1:143, imaps=[::1]:993/tls, pop3=*:110/proxy, x=0.0.0.0:0/tls/proxy/service=login-pop3');
    expect(l.map((s) => [s.name, s.address, s.port, s.tls, s.proxy, s.service])).to.deep.equal([
      ['imap', '127.0.0.1', 143, false, false, 'login-imap'],
      ['imaps', '::1', 993, true, false, 'login-imap'],
      ['pop3', '::', 110, false, true, 'login-pop3'],
      ['x', '0.0.0.0', 0, true, true, 'login-pop3'],
    ]);
  });

  it('accepts NAME=systemd without an address', () => {
    const [s] = parseListeners('imap=systemd/tls');
    expect(s!.address).to.equal(undefined);
    expect(s!.tls).to.equal(true);
  });

  it('falls back to dscm_service for names that imply nothing, and says so when there is none', () => {
    const [s] = parseListeners('echo=127.0.0.1:1');
    expect(serviceOf(s!, './plugins/login-echo')).to.equal('./plugins/login-echo');
    expect(() => serviceOf(s!, '')).to.throw(/no login service/);
  });

  for (const [text, message] of [
    ['', /no listener given/],
    ['imap', /expected NAME=ADDRESS:PORT/],
    ['im ap=1.2.3.4:1', /may only contain/],
    ['imap=1.2.3.4', /missing :PORT/],
    ['imap=::1:143', /brackets/],
    ['imap=[::1]143', /\[ADDRESS\]:PORT/],
    ['imap=localhost:143', /not an IPv4 address/],
    ['imap=1.2.3.4:70000', /0\.\.65535/],
    ['imap=1.2.3.4:143/tsl', /unknown flag "tsl"/],
    ['imap=1.2.3.4:143/service=..', /not a plugin name/],
  ] as const) {
    it(`refuses "${text}" with a clear message`, () => {
      expect(() => parseListeners(text)).to.throw(message);
    });
  }
});
