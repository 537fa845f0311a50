import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { connect as tlsConnect } from 'node:tls';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';
import { connectLoopback } from '@pigeondeliver/test-fixtures/loopback-server';
import { requireBinary, startImapServers, type ImapTestServers } from '../support/imap-test-server.js';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], input?: string, timeoutMs = 15000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code: unknown = err ? (err as unknown as { code?: unknown }).code : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
    child.stdin!.end(input ?? ''); // gsasl reads application data until EOF
  });
}

const PY_PREAMBLE = `
import imaplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
`;

describe('ImapLoginService with real clients @integration', function () {
  this.timeout(30000);
  let s: ImapTestServers;

  before(async function () {
    requireBinary(this, 'openssl', ['version']);
    s = await startImapServers();
  });
  after(async () => {
    await s?.close();
  });

  it('Python imaplib: STARTTLS then LOGIN; LOGIN refused before TLS', async function () {
    requireBinary(this, 'python3');
    const script = `${PY_PREAMBLE}
m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
print('caps', ' '.join(m.capabilities))
try:
    m.login('alice', 'secret')
except imaplib.IMAP4.error as e:
    print('refused', e)
m.starttls(ssl_context=ctx)
print('caps2', ' '.join(m.capabilities))
print('login', m.login('alice', 'secret'))
print('list', m.list())
print('logout', m.logout()[0])
`;
    const r = await run('python3', ['-c', script, String(s.plain.port), s.certs.caCertPath]);
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.match(/caps .*LOGINDISABLED/);
    expect(r.stdout).to.include('PRIVACYREQUIRED');
    expect(r.stdout).to.match(/caps2 .*AUTH=PLAIN/);
    expect(r.stdout).to.include("login ('OK', [b'Logged in'])");
    expect(r.stdout).to.include('logout BYE');
    const session = s.backend.sessions.at(-1)!;
    expect(session.secured).to.equal(true);
    expect(session.user.login).to.equal('alice');
  });

  it('Python imaplib: AUTHENTICATE PLAIN over IMAP4_SSL (implicit TLS)', async function () {
    requireBinary(this, 'python3');
    const script = `${PY_PREAMBLE}
m = imaplib.IMAP4_SSL('127.0.0.1', int(sys.argv[1]), ssl_context=ctx)
print('auth', m.authenticate('PLAIN', lambda _: b'\\0alice\\0secret'))
print('logout', m.logout()[0])
`;
    const r = await run('python3', ['-c', script, String(s.tls.port), s.certs.caCertPath]);
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.include("auth ('OK', [b'Logged in'])");
    expect(s.backend.sessions.at(-1)!.mechanism).to.equal('PLAIN');
  });

  it('curl imap:// with --ssl-reqd (STARTTLS) and imaps://', async function () {
    requireBinary(this, 'curl');
    for (const url of [`imap://127.0.0.1:${s.plain.port}/`, `imaps://127.0.0.1:${s.tls.port}/`]) {
      const r = await run('curl', ['-sS', '--max-time', '10', '--ssl-reqd', '--cacert', s.certs.caCertPath, '-u', 'alice:secret', url]);
      expect(r.code, `${url}: ${r.stderr}`).to.equal(0);
      expect(r.stdout).to.include('INBOX');
    }
    const bad = await run('curl', ['-sS', '--max-time', '10', '--ssl-reqd', '--cacert', s.certs.caCertPath, '-u', 'alice:wrong', `imap://127.0.0.1:${s.plain.port}/`]);
    expect(bad.code).to.not.equal(0);
    expect(bad.stderr).to.match(/login denied|Login denied|67/i);
  });

  it('openssl s_client -starttls imap', async function () {
    const r = await run(
      'openssl',
      ['s_client', '-starttls', 'imap', '-connect', `127.0.0.1:${s.plain.port}`, '-CAfile', s.certs.caCertPath, '-verify_return_error', '-quiet'],
      'a1 CAPABILITY\r\na2 LOGIN alice secret\r\na3 LOGOUT\r\n',
    );
    expect(r.stdout).to.match(/\* CAPABILITY IMAP4rev1 .*AUTH=PLAIN/);
    expect(r.stdout).to.not.include('STARTTLS');
    expect(r.stdout).to.include('a2 OK Logged in');
    expect(r.stdout).to.include('a3 OK Logout completed.');
  });

  for (const mech of ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'CRAM-MD5']) {
    it(`gsasl ${mech} without TLS (challenge mechanisms need no TLS)`, async function () {
      requireBinary(this, 'gsasl');
      const args = ['--imap', '--connect', `127.0.0.1:${s.plain.port}`, '--no-starttls', '-m', mech, '-a', 'alice', '-p', 'secret'];
      const ok = await run('gsasl', args);
      expect(ok.code, ok.stderr + ok.stdout).to.equal(0);
      expect(s.backend.sessions.at(-1)!.mechanism).to.equal(mech);
      const bad = await run('gsasl', [...args.slice(0, -1), 'wrong']);
      expect(bad.code).to.not.equal(0);
      expect(bad.stdout + bad.stderr).to.include('AUTHENTICATIONFAILED');
    });
  }

  it('gsasl SCRAM-SHA-256 after STARTTLS, without channel binding', async function () {
    requireBinary(this, 'gsasl');
    const r = await run('gsasl', ['--imap', '--connect', `127.0.0.1:${s.plain.port}`, '--starttls', '--no-cb', '--x509-ca-file', s.certs.caCertPath, '-m', 'SCRAM-SHA-256', '-a', 'alice', '-p', 'secret']);
    expect(r.code, r.stderr + r.stdout).to.equal(0);
    expect(s.backend.sessions.at(-1)!.secured).to.equal(true);
  });

  it('plaintext pipelined after STARTTLS is never executed inside TLS', async () => {
    const before = s.backend.sessions.length;
    const raw = await connectLoopback(s.plain.port);
    const plain = new ScriptedClient(raw);
    await plain.readLine();
    raw.write('s1 STARTTLS\r\nx1 LOGIN alice secret\r\n');
    await plain.run('S: s1 OK Begin TLS negotiation now.');
    raw.removeAllListeners('data');
    const secure = tlsConnect({ socket: raw, ca: s.certs.caCert, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    const c = new ScriptedClient(secure);
    await c.run(`
      C: a1 NOOP
      S: a1 OK NOOP completed.
      C: a2 LOGOUT
      S: * BYE Logging out
      S: a2 OK Logout completed.
    `);
    expect(c.received.join('\n')).to.not.include('x1');
    expect(s.backend.sessions.length).to.equal(before);
  });

  it('commands pipelined after LOGIN (one write, over implicit TLS) reach the backend', async () => {
    const secure = tlsConnect({ host: '127.0.0.1', port: s.tls.port, ca: s.certs.caCert, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    const c = new ScriptedClient(secure);
    await c.readLine();
    secure.write('a1 LOGIN alice secret\r\na2 LIST "" *\r\na3 LOGOUT\r\n');
    await c.run(`
      S: a1 OK Logged in
      S: * LIST (\\HasNoChildren) "/" INBOX
      S: a2 OK List completed.
      S: * BYE Logging out
      S: a3 OK Logout completed.
    `);
    expect(s.backend.sessions.at(-1)!.loginTag).to.equal('a1');
  });

  it('an overlong line over a real socket ends with BYE and a close', async () => {
    const raw = await connectLoopback(s.plain.port);
    const c = new ScriptedClient(raw);
    await c.readLine();
    raw.write(`a1 LOGIN ${'x'.repeat(9000)}\r\n`);
    await c.run('S: * BYE Line too long.');
    expect(await c.closed()).to.equal(true);
  });

  describe('SASL EXTERNAL with a TLS client certificate', () => {
    let c: ImapTestServers;
    before(async function () {
      requireBinary(this, 'python3');
      c = await startImapServers({}, true);
      // The certificate's CN names the user (tls_cert_username_field = CN).
      await c.harness.users.create({ login: 'pd-test-client', password: null });
    });
    after(async () => {
      await c?.close();
    });

    const script = `${PY_PREAMBLE}
if len(sys.argv) > 3:
    ctx.load_cert_chain(sys.argv[3], sys.argv[4])
m = imaplib.IMAP4_SSL('127.0.0.1', int(sys.argv[1]), ssl_context=ctx)
print('caps', ' '.join(m.capabilities))
try:
    print('auth', m.authenticate('EXTERNAL', lambda _: b''))
except imaplib.IMAP4.error as e:
    print('refused', e)
`;

    it('Python imaplib with a client certificate signed by tls_ca logs in as the certificate CN', async () => {
      const r = await run('python3', ['-c', script, String(c.tls.port), c.certs.caCertPath, c.certs.clientCertPath, c.certs.clientKeyPath]);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.match(/caps .*AUTH=EXTERNAL/);
      expect(r.stdout).to.include("auth ('OK', [b'Logged in'])");
      const session = c.backend.sessions.at(-1)!;
      expect(session.mechanism).to.equal('EXTERNAL');
      expect(session.user.login).to.equal('pd-test-client');
    });

    it('without a client certificate EXTERNAL is refused', async () => {
      const before = c.backend.sessions.length;
      const r = await run('python3', ['-c', script, String(c.tls.port), c.certs.caCertPath]);
      expect(r.stdout).not.to.include("auth ('OK'");
      expect(c.backend.sessions.length).to.equal(before);
    });
  });
});
