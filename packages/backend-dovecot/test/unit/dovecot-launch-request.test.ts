import { expect } from 'chai';
import { BackendError, type AuthenticatedSession } from '@pigeondeliver/core';
import { buildDovecotLaunchRequest, dovecotMailLocation, imapClientInput, isValidImapTag, pop3ClientInput } from '@pigeondeliver/backend-dovecot';
import { testUserRecord } from '@pigeondeliver/test-fixtures/preauth-server';

function session(fields: Partial<AuthenticatedSession> = {}): AuthenticatedSession {
  return {
    sessionId: 's1', protocol: 'imap', user: testUserRecord({ login: 'alice@example.org' }), mechanism: 'LOGIN', loginTag: 'a1',
    capabilityRequested: false, pipelined: Buffer.alloc(0), remote: { address: '192.0.2.7', port: 40000 },
    local: { address: '192.0.2.1', port: 143 }, secured: false, trusted: false, hops: 0, ...fields,
  };
}

const identity = { uid: 5000, gid: 5001, home: '/var/mail/pd/alice' };
const base = { mode: 'direct' as const, binaryPath: '/usr/lib/dovecot/imap', doveconfPath: '/usr/bin/doveconf', configPath: '/etc/dovecot/dovecot.conf' };

describe('buildDovecotLaunchRequest', function () {
  it('direct mode: exec imap with the captured settings plus the per-user variables', function () {
    const req = buildDovecotLaunchRequest({ ...base, captured: { DOVECONF_ENV: '1', MAIL_LOCATION: 'mbox:~/mail' }, session: session(), identity, pipelined: Buffer.alloc(0) });
    expect(req.command).to.equal('/usr/lib/dovecot/imap');
    expect(req.args).to.deep.equal([]);
    expect(req.env).to.deep.equal({
      DOVECONF_ENV: '1', MAIL_LOCATION: 'mbox:~/mail', USER: 'alice@example.org', HOME: identity.home, MAIL: 'maildir:~/Maildir',
      IP: '192.0.2.7', LOCAL_IP: '192.0.2.1', IMAPLOGINTAG: 'a1',
    });
    expect([req.uid, req.gid, req.cwd]).to.deep.equal([5000, 5001, identity.home]);
    expect(req.home).to.deep.equal({ path: identity.home, maildir: 'Maildir' });
    expect(req.label).to.equal('dovecot-imap');
  });

  it('doveconf mode: doveconf -e runs imap, without the captured environment', function () {
    const req = buildDovecotLaunchRequest({ ...base, mode: 'doveconf', captured: { X: '1' }, session: session(), identity, pipelined: Buffer.alloc(0) });
    expect(req.command).to.equal('/usr/bin/doveconf');
    expect(req.args).to.deep.equal(['-c', '/etc/dovecot/dovecot.conf', '-f', 'service=imap', '-m', 'imap', '-e', '/usr/lib/dovecot/imap']);
    expect(req.env.X).to.equal(undefined);
    expect(req.env.USER).to.equal('alice@example.org');
  });

  it('pipelined bytes and a CAPABILITY request go into CLIENT_INPUT (flag, tag, NUL, bytes) instead of IMAPLOGINTAG', function () {
    const req = buildDovecotLaunchRequest({ ...base, session: session({ capabilityRequested: true }), identity, pipelined: Buffer.from('b SELECT INBOX\r\n') });
    expect(req.env.IMAPLOGINTAG).to.equal(undefined);
    expect(Buffer.from(req.env.CLIENT_INPUT!, 'base64').toString('latin1')).to.equal('1a1\0b SELECT INBOX\r\n');
    expect(Buffer.from(imapClientInput('t', false, Buffer.alloc(0)), 'base64').toString('latin1')).to.equal('0t\0');
  });

  it('POP3: CLIENT_INPUT starts with NOOP so that pop3 itself answers +OK once the mailbox is open', function () {
    const req = buildDovecotLaunchRequest({ ...base, binaryPath: '/usr/lib/dovecot/pop3', session: session({ protocol: 'pop3', loginTag: '' }), identity, pipelined: Buffer.from('STAT\r\n') });
    expect(Buffer.from(req.env.CLIENT_INPUT!, 'base64').toString()).to.equal('NOOP\r\nSTAT\r\n');
    expect(Buffer.from(pop3ClientInput(Buffer.alloc(0)), 'base64').toString()).to.equal('NOOP\r\n');
    expect(req.label).to.equal('dovecot-pop3');
  });

  it('omits unknown addresses and refuses an invalid IMAP tag', function () {
    const req = buildDovecotLaunchRequest({ ...base, session: session({ remote: { address: '', port: 0 }, local: { address: '', port: 0 } }), identity, pipelined: Buffer.alloc(0) });
    expect(req.env).to.not.have.property('IP');
    expect(req.env).to.not.have.property('LOCAL_IP');
    for (const tag of ['', 'a b', 'a+', 'a\0', 'a*']) {
      expect(() => buildDovecotLaunchRequest({ ...base, session: session({ loginTag: tag }), identity, pipelined: Buffer.alloc(0) }), tag).to.throw(BackendError);
      expect(isValidImapTag(tag)).to.equal(false);
    }
    expect(isValidImapTag('A0001]')).to.equal(true);
  });

  it('uses the row\'s mail location and knows which Maildir to create', function () {
    expect(dovecotMailLocation(null, '/h')).to.deep.equal({ location: 'maildir:~/Maildir', maildir: 'Maildir' });
    expect(dovecotMailLocation('maildir:~/Mail/box:LAYOUT=fs', '/h')).to.deep.equal({ location: 'maildir:~/Mail/box:LAYOUT=fs', maildir: 'Mail/box' });
    expect(dovecotMailLocation('maildir:/h/M', '/h')).to.deep.equal({ location: 'maildir:/h/M', maildir: 'M' });
    expect(dovecotMailLocation('mdbox:~/mdbox', '/h')).to.deep.equal({ location: 'mdbox:~/mdbox' });
  });
});
