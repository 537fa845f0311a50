import { expect } from 'chai';
import { formatForPostlog, postlogTag } from '@pigeondeliver/forker-postfix';

describe('postlog formatting', () => {
  it('turns pino JSON into Postfix-style text with severity prefixes', () => {
    const line = JSON.stringify({ level: 40, time: 't', pid: 7, hostname: 'h', name: 'pd-forker-postfix', session: 'abc', remote: '192.0.2.1:4', msg: 'auth failed' });
    expect(formatForPostlog(line)).to.equal('warning: auth failed pid=7 session=abc remote=192.0.2.1:4');
    expect(formatForPostlog(JSON.stringify({ level: 30, msg: 'connect', x: 'a b' }))).to.equal('connect x="a b"');
    expect(formatForPostlog(JSON.stringify({ level: 60, msg: 'boom\nsecond line' }))).to.equal('fatal: boom second line');
    expect(formatForPostlog('not json\n')).to.equal('not json');
  });

  it('tags lines $MAIL_LOGTAG/<service> unless syslog_name is set', () => {
    expect(postlogTag('', 'login-imap', { MAIL_LOGTAG: 'postfix' })).to.equal('postfix/login-imap');
    expect(postlogTag('', '@acme/pd-login-x', {})).to.equal('postfix/pd-login-x');
    expect(postlogTag('postfix/submission-imap', 'login-imap', {})).to.equal('postfix/submission-imap');
  });
});
