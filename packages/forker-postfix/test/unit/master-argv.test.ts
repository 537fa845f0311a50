import { expect } from 'chai';
import { ConfigError } from '@pigeondeliver/core';
import { parseMasterArgv, settingsToArgv } from '@pigeondeliver/forker-postfix';

describe('parseMasterArgv', () => {
  it('reads what master passes for "imap inet n - n - - pd-forker-postfix -o dscm_service=login-imap"', () => {
    const a = parseMasterArgv(['-n', 'imap', '-t', 'inet', '-u', '-o', 'stress=', '-o', 'dscm_service=login-imap']);
    expect(a.serviceName).to.equal('imap');
    expect(a.transport).to.equal('inet');
    expect(a.socketCount).to.equal(1);
    expect([...a.flags]).to.deep.equal(['u']);
    expect(a.settings).to.deep.equal([
      { key: 'stress', value: '' },
      { key: 'dscm_service', value: 'login-imap' },
    ]);
    expect(settingsToArgv(a.settings)).to.deep.equal(['-o', 'stress=', '-o', 'dscm_service=login-imap']);
  });

  it('accepts -okey=value, bundled flags, -s N, -l, -z, -d, -v, -c (chroot, not a config file)', () => {
    const a = parseMasterArgv(['-lz', '-n', '127.0.0.1:10143', '-t', 'inet', '-dvuc', '-s', '2', '-odscm_service=login-pop3']);
    expect([...a.flags].sort()).to.deep.equal(['c', 'd', 'l', 'u', 'v', 'z']);
    expect(a.socketCount).to.equal(2);
    expect(a.settings).to.deep.equal([{ key: 'dscm_service', value: 'login-pop3' }]);
  });

  it('takes -o pairs after positional words (postconf -P) and positional key=value words', () => {
    const a = parseMasterArgv(['-t', 'inet', 'dscm_service=login-imap', '-o', 'max_idle=30', 'max_use=5']);
    expect(a.settings).to.deep.equal([
      { key: 'dscm_service', value: 'login-imap' },
      { key: 'max_idle', value: '30' },
      { key: 'max_use', value: '5' },
    ]);
  });

  it('trims "{ key = value }" as master passes it ("key = value")', () => {
    expect(parseMasterArgv(['-o', 'syslog_name = postfix/imap']).settings).to.deep.equal([{ key: 'syslog_name', value: 'postfix/imap' }]);
  });

  for (const [argv, message] of [
    [['-x'], /unknown flag -x/],
    [['-o'], /-o needs a value/],
    [['-o', 'novalue'], /expects key=value/],
    [['-s', 'two'], /-s expects a socket count/],
    [['--dscm-service'], /unknown flag/],
    [['stray'], /unexpected argument "stray"/],
    [['-S'], /not supported/],
  ] as const) {
    it(`refuses ${JSON.stringify(argv)} with a clear ConfigError`, () => {
      expect(() => parseMasterArgv(argv)).to.throw(ConfigError, message);
    });
  }
});
