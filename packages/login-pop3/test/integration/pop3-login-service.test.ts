import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { connect as tlsConnect } from 'node:tls';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';
import { connectLoopback } from '@pigeondeliver/test-fixtures/loopback-server';
import { gsaslPop3 } from '../support/gsasl-pop3.js';
import { MESSAGE, requireBinary, startPop3Servers, type Pop3TestServers } from '../support/pop3-test-server.js';

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
    if (input !== undefined) child.stdin!.end(input);
  });
}

const PY_PREAMBLE = `
import poplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
`;

describe('Pop3LoginService with real clients @integration', function () {
  this.timeout(30000);
  let s: Pop3TestServers;

  before(async function () {
    requireBinary(this, 'openssl', ['version']);
    s = await startPop3Servers();
  });
  after(async () => {
    await s?.close();
  });

  it('Python poplib: USER refused before TLS, STLS, CAPA changes, USER/PASS, STAT, RETR, QUIT', async function () {
    requireBinary(this, 'python3');
    const script = `${PY_PREAMBLE}
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
print('caps', ' '.join(sorted(p.capa().keys())))
try:
    p.user('alice')
except poplib.error_proto as e:
    print('refused', e)
p.stls(context=ctx)
print('caps2', ' '.join(sorted(p.capa().keys())))
print('user', p.user('alice'))
print('pass', p.pass_('secret'))
print('stat', p.stat())
print('retr', b'\\n'.join(p.retr(1)[1]).decode())
print('quit', p.quit())
`;
    const r = await run('python3', ['-c', script, String(s.plain.port), s.certs.caCertPath]);
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.match(/^caps .*STLS/m).and.not.match(/^caps .*USER/m);
    expect(r.stdout).to.include("refused b'-ERR [AUTH] Plaintext authentication disallowed");
    expect(r.stdout).to.match(/^caps2 .*USER/m).and.not.match(/^caps2 .*STLS/m);
    expect(r.stdout).to.include("pass b'+OK Logged in.'");
    expect(r.stdout).to.include(`stat (1, ${Buffer.byteLength(MESSAGE)})`);
    expect(r.stdout).to.include('Hello from the mini backend.');
    expect(r.stdout).to.include("quit b'+OK Logging out.'");
    const session = s.backend.sessions.at(-1)!;
    expect(session.secured).to.equal(true);
    expect(session.mechanism).to.equal('USER');
  });

  it('Python poplib: APOP without TLS (no password on the wire); a wrong digest is -ERR [AUTH]', async function () {
    requireBinary(this, 'python3');
    const script = `${PY_PREAMBLE}
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
try:
    p.apop('alice', 'wrong')
except poplib.error_proto as e:
    print('refused', e)
print('apop', p.apop('alice', 'secret'))
print('stat', p.stat())
print('quit', p.quit())
`;
    const r = await run('python3', ['-c', script, String(s.plain.port), s.certs.caCertPath]);
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.include("refused b'-ERR [AUTH] Authentication failed.'");
    expect(r.stdout).to.include("apop b'+OK Logged in.'");
    expect(r.stdout).to.include('stat (1,');
    const session = s.backend.sessions.at(-1)!;
    expect(session.mechanism).to.equal('APOP');
    expect(session.secured).to.equal(false);
  });

  it('Python poplib: POP3_SSL (implicit TLS) with USER/PASS', async function () {
    requireBinary(this, 'python3');
    const script = `${PY_PREAMBLE}
p = poplib.POP3_SSL('127.0.0.1', int(sys.argv[1]), context=ctx, timeout=10)
print('caps', ' '.join(sorted(p.capa().keys())))
p.user('alice')
print('pass', p.pass_('secret'))
print('list', p.list()[1])
print('quit', p.quit())
`;
    const r = await run('python3', ['-c', script, String(s.tls.port), s.certs.caCertPath]);
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.match(/^caps .*USER/m).and.not.match(/^caps .*STLS/m);
    expect(r.stdout).to.include("pass b'+OK Logged in.'");
    expect(r.stdout).to.include(`list [b'1 ${Buffer.byteLength(MESSAGE)}']`);
    expect(s.backend.sessions.at(-1)!.secured).to.equal(true);
  });

  it('curl pop3:// with --ssl-reqd (STLS) and pop3s:// list the mailbox; a wrong password is refused', async function () {
    requireBinary(this, 'curl');
    for (const url of [`pop3://127.0.0.1:${s.plain.port}/`, `pop3s://127.0.0.1:${s.tls.port}/`]) {
      const r = await run('curl', ['-sS', '--max-time', '10', '--ssl-reqd', '--cacert', s.certs.caCertPath, '-u', 'alice:secret', url]);
      expect(r.code, `${url}: ${r.stderr}`).to.equal(0);
      expect(r.stdout).to.include(`1 ${Buffer.byteLength(MESSAGE)}`);
      const session = s.backend.sessions.at(-1)!;
      expect(session.secured).to.equal(true);
      // curl picks the strongest mechanism it has among those offered (no SCRAM in this build).
      expect(session.mechanism).to.equal('CRAM-MD5');
    }
    const bad = await run('curl', ['-sS', '--max-time', '10', '--ssl-reqd', '--cacert', s.certs.caCertPath, '-u', 'alice:wrong', `pop3://127.0.0.1:${s.plain.port}/`]);
    expect(bad.code).to.equal(67); // CURLE_LOGIN_DENIED
  });

  it('curl: AUTH PLAIN with an initial response after STLS, RETR of a message, and APOP', async function () {
    requireBinary(this, 'curl');
    const plain = await run('curl', [
      '-sS', '--max-time', '10', '--ssl-reqd', '--cacert', s.certs.caCertPath, '--sasl-ir',
      '--login-options', 'AUTH=PLAIN', '-u', 'alice:secret', `pop3://127.0.0.1:${s.plain.port}/1`,
    ]);
    expect(plain.code, plain.stderr).to.equal(0);
    expect(plain.stdout).to.include('Hello from the mini backend.');
    expect(s.backend.sessions.at(-1)!.mechanism).to.equal('PLAIN');
    const apop = await run('curl', ['-sS', '--max-time', '10', '--login-options', 'AUTH=+APOP', '-u', 'alice:secret', `pop3://127.0.0.1:${s.plain.port}/`]);
    expect(apop.code, apop.stderr).to.equal(0);
    expect(s.backend.sessions.at(-1)!.mechanism).to.equal('APOP');
  });

  it('openssl s_client -starttls pop3: CAPA without STLS, pipelined USER/PASS/STAT/QUIT', async () => {
    const r = await run(
      'openssl',
      ['s_client', '-starttls', 'pop3', '-connect', `127.0.0.1:${s.plain.port}`, '-CAfile', s.certs.caCertPath, '-verify_return_error', '-quiet', '-ign_eof'],
      'CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nQUIT\r\n',
    );
    expect(r.stdout).to.match(/\r\nUSER\r\nSASL SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN\r\n\.\r\n/);
    expect(r.stdout).to.not.include('STLS');
    expect(r.stdout).to.include('+OK Logged in.');
    expect(r.stdout).to.include(`+OK 1 ${Buffer.byteLength(MESSAGE)}`);
    expect(r.stdout).to.include('+OK Logging out.');
  });

  for (const mech of ['SCRAM-SHA-256', 'CRAM-MD5']) {
    it(`gsasl ${mech} without TLS (challenge mechanisms need no TLS); a wrong password is -ERR [AUTH]`, async function () {
      requireBinary(this, 'gsasl');
      const ok = await gsaslPop3(s.plain.port, mech, 'alice', 'secret');
      expect(ok.ok, `${ok.final} ${ok.stderr}`).to.equal(true);
      expect(ok.final).to.equal('+OK Logged in.');
      expect(s.backend.sessions.at(-1)!.mechanism).to.equal(mech);
      const bad = await gsaslPop3(s.plain.port, mech, 'alice', 'wrong');
      expect(bad.ok).to.equal(false);
      expect(bad.final).to.equal('-ERR [AUTH] Authentication failed.');
    });
  }

  it('gsasl SCRAM-SHA-256 after STLS, without channel binding', async function () {
    requireBinary(this, 'gsasl');
    const r = await gsaslPop3(s.plain.port, 'SCRAM-SHA-256', 'alice', 'secret', { ca: s.certs.caCert });
    expect(r.ok, `${r.final} ${r.stderr}`).to.equal(true);
    expect(s.backend.sessions.at(-1)!.secured).to.equal(true);
  });

  it('USER on a plain untrusted socket is refused; pipelined QUIT still answered, then a close', async () => {
    const raw = await connectLoopback(s.plain.port);
    const c = new ScriptedClient(raw);
    await c.readLine();
    raw.write('USER alice\r\nQUIT\r\n');
    await c.run(`
      S: -ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
      S: +OK Logging out
    `);
    expect(await c.closed()).to.equal(true);
  });

  it('plaintext pipelined after STLS is never executed inside TLS', async () => {
    const before = s.backend.sessions.length;
    const raw = await connectLoopback(s.plain.port);
    const plain = new ScriptedClient(raw);
    await plain.readLine();
    raw.write('STLS\r\nUSER alice\r\nPASS secret\r\n');
    await plain.run('S: +OK Begin TLS negotiation now.');
    raw.removeAllListeners('data');
    const secure = tlsConnect({ socket: raw, ca: s.certs.caCert, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    const c = new ScriptedClient(secure);
    await c.run(`
      C: PASS secret
      S: -ERR No username given.
      C: QUIT
      S: +OK Logging out
    `);
    expect(s.backend.sessions.length).to.equal(before);
  });

  it('hostile input over a real socket: NUL bytes, bad base64, then an overlong line ends with -ERR and a close', async () => {
    const raw = await connectLoopback(s.plain.port);
    const c = new ScriptedClient(raw);
    await c.readLine();
    raw.write(Buffer.from('CA\0PA\r\nAUTH SCRAM-SHA-256 %%%\r\nAUTH CRAM-MD5 =\r\n', 'latin1'));
    await c.run(`
      S: -ERR Invalid characters in command.
      S: -ERR Invalid base64 data in initial response.
      S: /^\\+ [A-Za-z0-9+/]+=*$/
      C: ???
      S: -ERR Invalid base64 data in continued response.
    `);
    raw.write(`USER ${'x'.repeat(9000)}\r\n`);
    await c.run('S: -ERR Line too long.');
    expect(await c.closed()).to.equal(true);
  });

  it('pipelined login bytes reach the backend over a real socket (implicit TLS)', async () => {
    const secure = tlsConnect({ host: '127.0.0.1', port: s.tls.port, ca: s.certs.caCert, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    const c = new ScriptedClient(secure);
    await c.readLine();
    secure.write('USER alice\r\nPASS secret\r\nSTAT\r\nQUIT\r\n');
    await c.run(`
      S: +OK
      S: +OK Logged in.
      S: +OK 1 ${Buffer.byteLength(MESSAGE)}
      S: +OK Logging out.
    `);
    expect(await c.closed()).to.equal(true);
  });
});

describe('Pop3LoginService timeouts over real sockets @integration', function () {
  this.timeout(10000);
  let s: Pop3TestServers;

  before(async function () {
    requireBinary(this, 'openssl', ['version']);
    s = await startPop3Servers({ plaintextWithoutTls: true }, { idleTimeout: 150, loginTimeout: 400 });
  });
  after(async () => {
    await s?.close();
  });

  it('a silent client is told -ERR Disconnected for inactivity. and closed', async () => {
    const c = new ScriptedClient(await connectLoopback(s.plain.port));
    await c.readLine();
    await c.run('S: -ERR Disconnected for inactivity.');
    expect(await c.closed()).to.equal(true);
  });

  it('a slow client (one byte at a time) hits the login timeout', async () => {
    const raw = await connectLoopback(s.plain.port);
    const c = new ScriptedClient(raw);
    await c.readLine();
    const drip = setInterval(() => raw.write('x'), 50);
    try {
      await c.run('S: -ERR Login timeout.');
    } finally {
      clearInterval(drip);
    }
    expect(await c.closed()).to.equal(true);
  });

  it('plaintext USER/PASS with pipelined STAT/QUIT on a plain socket, when allowed', async () => {
    const raw = await connectLoopback(s.plain.port);
    const c = new ScriptedClient(raw);
    await c.readLine();
    raw.write('USER alice\r\nPASS secret\r\nSTAT\r\nQUIT\r\n');
    await c.run(`
      S: +OK
      S: +OK Logged in.
      S: +OK 1 ${Buffer.byteLength(MESSAGE)}
      S: +OK Logging out.
    `);
    expect(s.backend.sessions.at(-1)!.pipelined.toString()).to.equal('STAT\r\nQUIT\r\n');
  });
});
