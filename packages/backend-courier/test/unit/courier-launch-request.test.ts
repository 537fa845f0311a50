import { expect } from 'chai';
import { BackendError, type AuthenticatedSession } from '@pigeondeliver/core';
import { buildCourierLaunchRequest, courierMaildir } from '@pigeondeliver/backend-courier';
import { testUserRecord } from '@pigeondeliver/test-fixtures/preauth-server';

function session(fields: Partial<AuthenticatedSession> = {}): AuthenticatedSession {
  return {
    sessionId: 's1', protocol: 'imap', user: testUserRecord({ login: 'alice' }), mechanism: 'LOGIN', loginTag: 'a1',
    capabilityRequested: false, pipelined: Buffer.alloc(0), remote: { address: '192.0.2.7', port: 40000 },
    local: { address: '192.0.2.1', port: 143 }, secured: false, trusted: false, hops: 0, ...fields,
  };
}
const identity = { uid: 5000, gid: 5001, home: '/var/mail/pd/alice' };

describe('buildCourierLaunchRequest', function () {
  it('imapd <maildir> with the file variables plus AUTHENTICATED, IMAPLOGINTAG, HOME, TCPREMOTEIP/PORT, cwd = home', function () {
    const req = buildCourierLaunchRequest({ binaryPath: '/p/imapd', variables: { IMAP_IDLE_TIMEOUT: '60', MAILDIRPATH: 'Maildir' }, session: session(), identity });
    expect(req.command).to.equal('/p/imapd');
    expect(req.args).to.deep.equal(['Maildir']);
    expect(req.env).to.deep.equal({
      IMAP_IDLE_TIMEOUT: '60', MAILDIRPATH: 'Maildir', PATH: '/usr/bin:/bin', AUTHENTICATED: 'alice', HOME: identity.home,
      TCPREMOTEIP: '192.0.2.7', TCPREMOTEPORT: '40000', TCPLOCALIP: '192.0.2.1', TCPLOCALPORT: '143', IMAPLOGINTAG: 'a1',
    });
    expect(req.cwd).to.equal(identity.home);
    expect(req.home).to.deep.equal({ path: identity.home, maildir: 'Maildir' });
    expect(req.label).to.equal('courier-imap');
  });

  it('POP3 has no IMAPLOGINTAG; an unknown client address is still non-empty (Courier exits silently otherwise)', function () {
    const req = buildCourierLaunchRequest({ binaryPath: '/p/pop3d', variables: {}, session: session({ protocol: 'pop3', loginTag: '', remote: { address: '', port: 0 } }), identity });
    expect(req.env).to.not.have.property('IMAPLOGINTAG');
    expect([req.env.TCPREMOTEIP, req.env.TCPREMOTEPORT]).to.deep.equal(['0.0.0.0', '0']);
    expect(req.args).to.deep.equal(['Maildir']);
  });

  it('maps maildir: locations and refuses others and bad tags', function () {
    expect(courierMaildir(null, '/h', 'Maildir')).to.equal('Maildir');
    expect(courierMaildir('maildir:~/Mail', '/h', 'Maildir')).to.equal('Mail');
    expect(courierMaildir('maildir:/h/M', '/h', 'Maildir')).to.equal('M');
    expect(() => courierMaildir('mdbox:~/mdbox', '/h', 'Maildir')).to.throw(BackendError);
    expect(() => buildCourierLaunchRequest({ binaryPath: '/p/imapd', variables: {}, session: session({ loginTag: 'a b' }), identity })).to.throw(BackendError);
  });
});
