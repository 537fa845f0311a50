import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { RejectReason } from '@pigeondeliver/core';
import { createStreamPair } from '@pigeondeliver/test-fixtures/stream-pair';
import { b64, buildHarness, plain } from '../support/harness.js';

const GREETING = '+OK PigeonDeliver ready.';
const APOP_GREETING = /^\+OK PigeonDeliver ready\. (<\d+\.[0-9a-f]{24}@[A-Za-z0-9.-]+>)$/;

function apop(timestamp: string, password: string): string {
  return createHash('md5').update(timestamp + password).digest('hex');
}

describe('Pop3LoginService transcripts', () => {
  it('greets; CAPA on an insecure untrusted connection: STLS, no USER, no plaintext SASL', async () => {
    const h = buildHarness();
    const { client } = h.connect();
    await client.run(`
      S: ${GREETING}
      C: CAPA
      S: +OK
      S: CAPA
      S: TOP
      S: UIDL
      S: RESP-CODES
      S: PIPELINING
      S: AUTH-RESP-CODE
      S: STLS
      S: .
      C: USER alice
      S: -ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
      C: AUTH PLAIN ${plain('alice', 'secret')}
      S: -ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
      C: AUTH
      S: +OK
      S: .
      C: QUIT
      S: +OK Logging out
    `);
    expect(await client.closed()).to.equal(true);
    expect(h.backend.starts).to.have.length(0);
  });

  it('STLS: recomputes CAPA, forgets USER, discards input pipelined after the command', async () => {
    const h = buildHarness({ settings: { challengeMechanisms: true } });
    const { client, pair } = h.connect();
    await client.readLine();
    // The injected PASS arrives in the same write as STLS: it must never run.
    client.send(Buffer.from('STLS\r\nUSER alice\r\nPASS secret\r\n'));
    await client.run('S: +OK Begin TLS negotiation now.');
    expect(pair.connection.startTlsCalls).to.equal(1);
    await client.run(`
      C: CAPA
      S: +OK
      S: CAPA
      S: TOP
      S: UIDL
      S: RESP-CODES
      S: PIPELINING
      S: AUTH-RESP-CODE
      S: USER
      S: SASL SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN
      S: .
      C: PASS secret
      S: -ERR No username given.
      C: STLS
      S: -ERR TLS is already active.
    `);
    expect(h.backend.starts).to.have.length(0);
  });

  it('STLS without TLS support', async () => {
    const h = buildHarness();
    const { client } = h.connect({ startTls: false });
    await client.run(`
      S: ${GREETING}
      C: CAPA
      S: +OK
      S: CAPA
      S: TOP
      S: UIDL
      S: RESP-CODES
      S: PIPELINING
      S: AUTH-RESP-CODE
      S: .
      C: STLS
      S: -ERR TLS support isn't enabled.
    `);
  });

  it('USER/PASS on a trusted connection hands off: the backend answers +OK; pipelined bytes go along', async () => {
    const h = buildHarness();
    const { client, pair, done } = h.connect({ trusted: true });
    await client.readLine();
    client.send(Buffer.from('USER alice\r\nPASS secret\r\nSTAT\r\nQUIT\r\n'));
    await client.run(`
      S: +OK
      S: +OK Logged in.
    `);
    await done;
    const s = h.backend.sessions[0]!;
    expect(s.user.login).to.equal('alice');
    expect(s.protocol).to.equal('pop3');
    expect(s.loginTag).to.equal('');
    expect(s.mechanism).to.equal('USER');
    expect(s.capabilityRequested).to.equal(false);
    expect(s.pipelined.toString()).to.equal('STAT\r\nQUIT\r\n');
    expect(s.remote).to.deep.equal(pair.connection.remote);
    expect(s.hops).to.equal(0);
    expect(pair.connection.closed).to.equal(false);
  });

  it('PASS takes the rest of the line (spaces kept); USER takes UTF-8; PASS needs USER first', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: PASS secret
      S: -ERR No username given.
      C: USER spacey
      S: +OK
      C: PASS with two  spaces${' '}
      S: +OK Logged in.
    `);
    const h2 = buildHarness({ settings: { plaintextWithoutTls: true } });
    const c2 = h2.connect().client;
    await c2.readLine();
    c2.send(Buffer.from('USER j\u00fcrgen\r\nPASS p\u00e4ssw\u00f6rd\r\n', 'utf8'));
    await c2.run('S: +OK');
    await c2.run('S: +OK Logged in.');
    expect(h2.backend.sessions[0]!.user.login).to.equal('jürgen');
  });

  it('maps results to RFC 3206 codes and closes after too many failures', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: USER bob
      S: +OK
      C: PASS secret
      S: -ERR [AUTH] Account is disabled, contact your administrator.
      C: USER carol
      S: +OK
      C: PASS secret
      S: -ERR [SYS/PERM] POP3 access is not allowed for this account, contact your administrator.
      C: USER broken
      S: +OK
      C: PASS x
      S: -ERR [SYS/TEMP] Temporary authentication failure, try again later.
      C: USER alice
      S: +OK
      C: PASS wrong
      S: -ERR [AUTH] Authentication failed.
      C: PASS secret
      S: -ERR No username given.
      C: USER nobody
      S: +OK
      C: PASS wrong
      S: -ERR [AUTH] Authentication failed.
      C: USER bob
      S: +OK
      C: PASS wrong
      S: -ERR [AUTH] Too many authentication failures.
    `);
    expect(await client.closed()).to.equal(true);
    expect(h.backend.starts).to.have.length(0);
  });

  it('database down: -ERR [SYS/TEMP], never a bad password, no penalty', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true }, pop3: { pop3_apop: 'yes' } });
    h.users.unavailable = true;
    const { client } = h.connect();
    const ts = APOP_GREETING.exec(await client.readLine())![1]!;
    await client.run(`
      C: USER alice
      S: +OK
      C: PASS secret
      S: -ERR [SYS/TEMP] Temporary authentication failure, try again later.
      C: AUTH PLAIN ${plain('alice', 'secret')}
      S: -ERR [SYS/TEMP] Temporary authentication failure, try again later.
      C: APOP alice ${apop(ts, 'secret')}
      S: -ERR [SYS/TEMP] Temporary authentication failure, try again later.
    `);
    expect(h.penalty.size).to.equal(0);
  });

  it('backend failure or missing proxy backend: -ERR [SYS/TEMP] and the session continues', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    h.backend.mode = 'reject';
    const { client } = h.connect();
    await client.readLine();
    client.send(Buffer.from('USER alice\r\nPASS secret\r\nCAPA\r\n'));
    await client.run(`
      S: +OK
      S: -ERR [SYS/TEMP] Temporary failure starting your session, try again later.
      S: +OK
      S: CAPA
    `);
    await client.expect('.');
    await client.run(`
      C: USER remote
      S: +OK
      C: PASS secret
      S: -ERR [SYS/TEMP] Temporary failure starting your session, try again later.
    `);
  });

  it('backend timeout gives -ERR [SYS/TEMP]', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true }, limits: { backendTimeout: 50 } });
    h.backend.mode = 'hang';
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: USER alice
      S: +OK
      C: PASS secret
      S: -ERR [SYS/TEMP] Temporary failure starting your session, try again later.
    `);
  });

  it('APOP: timestamp in the greeting, digest checked with the plaintext password', async () => {
    const h = buildHarness({ pop3: { pop3_apop: 'yes' } });
    const { client, done } = h.connect();
    const greeting = await client.readLine();
    const ts = APOP_GREETING.exec(greeting)?.[1];
    expect(ts, greeting).to.be.a('string');
    await client.run(`
      C: APOP alice ${apop(ts!, 'wrong')}
      S: -ERR [AUTH] Authentication failed.
      C: APOP hashed ${apop(ts!, 'secret')}
      S: -ERR [AUTH] Authentication failed.
      C: APOP alice nothex
      S: -ERR APOP needs a UTF-8 user name and a 32-digit hex MD5 digest.
      C: APOP alice
      S: -ERR Wrong number of arguments for APOP.
      C: APOP alice ${apop(ts!, 'secret').toUpperCase()}
      S: +OK Logged in.
    `);
    await done;
    expect(h.backend.sessions[0]!.mechanism).to.equal('APOP');
    // Every connection gets its own timestamp.
    const other = await h.connect().client.readLine();
    expect(APOP_GREETING.exec(other)![1]).to.not.equal(ts);
  });

  it('APOP when disabled: no timestamp, refused', async () => {
    const h = buildHarness();
    const { client } = h.connect();
    await client.run(`
      S: ${GREETING}
      C: APOP alice 0123456789abcdef0123456789abcdef
      S: -ERR [AUTH] APOP is not enabled on this server.
    `);
  });

  it('AUTH PLAIN: initial response, continuation, "=" empty, cancel, bad base64, unknown mechanism', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: AUTH PLAIN
      S: +${' '}
      C: *
      S: -ERR Authentication canceled.
      C: AUTH PLAIN
      S: +${' '}
      C: not!base64
      S: -ERR Invalid base64 data in continued response.
      C: AUTH PLAIN not!base64
      S: -ERR Invalid base64 data in initial response.
      C: AUTH PLAIN =
      S: -ERR PLAIN message must be authzid NUL authcid NUL password.
      C: AUTH PLAIN ${plain('alice', 'secret', 'bob')}
      S: -ERR [AUTH] Authentication failed.
      C: AUTH X-UNKNOWN
      S: -ERR [AUTH] Unsupported authentication mechanism.
      C: AUTH PLAIN a b
      S: -ERR Wrong number of arguments for AUTH.
      C: AUTH PLAIN
      S: +${' '}
      C: ${plain('alice', 'secret')}
      S: +OK Logged in.
    `);
    expect(h.backend.sessions[0]!.mechanism).to.equal('PLAIN');
  });

  it('AUTH PLAIN with an initial response, AUTH LOGIN, and the mechanism list (RFC 1734 style)', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: AUTH
      S: +OK
      S: PLAIN
      S: LOGIN
      S: .
      C: AUTH LOGIN
      S: + ${b64('Username:')}
      C: ${b64('alice')}
      S: + ${b64('Password:')}
      C: ${b64('secret')}
      S: +OK Logged in.
    `);
    const h2 = buildHarness({ settings: { plaintextWithoutTls: true } });
    const c2 = h2.connect().client;
    await c2.readLine();
    await c2.run(`
      C: AUTH PLAIN ${plain('alice', 'secret')}
      S: +OK Logged in.
    `);
  });

  it('AUTH CRAM-MD5 without TLS when the stored passwords can serve it', async () => {
    const h = buildHarness({ settings: { challengeMechanisms: true } });
    const { client } = h.connect();
    await client.readLine();
    client.send('AUTH CRAM-MD5');
    const challengeLine = await client.readLine();
    expect(challengeLine).to.match(/^\+ [A-Za-z0-9+/=]+$/);
    const challenge = Buffer.from(challengeLine.slice(2), 'base64');
    const { createHmac } = await import('node:crypto');
    const digest = createHmac('md5', 'secret').update(challenge).digest('hex');
    await client.run(`
      C: ${b64(`alice ${digest}`)}
      S: +OK Logged in.
    `);
    expect(h.backend.sessions[0]!.mechanism).to.equal('CRAM-MD5');
  });

  it('-ERR for unknown, transaction-state (NOOP too) and wrong-arity commands; a last -ERR and close after too many (as Dovecot)', async () => {
    const h = buildHarness({ limits: { maxBadCommands: 6 } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: FROB
      S: -ERR Unknown command.
      C: NOOP
      S: -ERR Command not allowed before login.
      C: STAT
      S: -ERR Command not allowed before login.
      C: CAPA extra
      S: -ERR Wrong number of arguments for CAPA.
      C: 123
      S: -ERR Unknown command.
      C: USER
      S: -ERR Wrong number of arguments for USER.
      S: -ERR Too many invalid commands.
    `);
    expect(await client.closed()).to.equal(true);
  });

  it('the wrong-arity USER counts, and commands are case-insensitive', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: USER
      S: -ERR Wrong number of arguments for USER.
      C: user alice
      S: +OK
      C: pass secret
      S: +OK Logged in.
    `);
  });

  it('NUL bytes, 8-bit keywords and invalid UTF-8 user names are refused', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    client.send(Buffer.from('USER al\0ice\r\n', 'latin1'));
    await client.run('S: -ERR Invalid characters in command.');
    client.send(Buffer.from('US\xffR alice\r\n', 'latin1'));
    await client.run('S: -ERR Unknown command.');
    client.send(Buffer.from('USER \xff\xfe\r\n', 'latin1'));
    await client.run('S: -ERR USER needs a UTF-8 user name.');
    client.send(Buffer.from('USER alice\r\nPASS se\0cret\r\n', 'latin1'));
    await client.run(`
      S: +OK
      S: -ERR Invalid characters in command.
    `);
    expect(h.backend.starts).to.have.length(0);
  });

  it('8-bit passwords reach the verifier as bytes', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    h.users.users.set('latin', { ...h.users.users.get('alice')!, login: 'latin', password: '{PLAIN}\u00e9t\u00e9' });
    const { client } = h.connect();
    await client.readLine();
    client.send('USER latin');
    await client.run('S: +OK');
    client.send(Buffer.concat([Buffer.from('PASS '), Buffer.from('été', 'utf8'), Buffer.from('\r\n')]));
    await client.run('S: +OK Logged in.');
  });

  it('overlong line: -ERR Line too long. and close', async () => {
    const h = buildHarness({ limits: { maxLineLength: 600 } });
    const { client } = h.connect();
    await client.readLine();
    client.send(`USER ${'x'.repeat(700)}`);
    await client.run('S: -ERR Line too long.');
    expect(await client.closed()).to.equal(true);
  });

  it('overlong SASL continuation: -ERR Line too long. and close', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true }, limits: { maxLineLength: 600 } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: AUTH PLAIN
      S: +${' '}
      C: ${'QUFB'.repeat(200)}
      S: -ERR Line too long.
    `);
    expect(await client.closed()).to.equal(true);
  });

  it('XCLIENT from a trusted proxy sets the client address, session and hops; advertised only to it', async () => {
    const h = buildHarness();
    const { client, pair, done } = h.connect({ trusted: true, remote: { address: '127.0.0.1', port: 5555 } });
    await client.readLine();
    client.send('CAPA');
    const caps: string[] = [];
    for (let l = await client.readLine(); l !== '.'; l = await client.readLine()) caps.push(l);
    expect(caps).to.include('XCLIENT').and.include('USER');
    await client.run(`
      C: XCLIENT ADDR=198.51.100.7 PORT=4321 SESSION=front-42 TTL=4 FORWARD=abc
      S: +OK Updated
      C: XCLIENT ADDR=not-an-ip
      S: -ERR Invalid parameters: ADDR is not an IP address.
      C: XCLIENT PORT=70000
      S: -ERR Invalid parameters: PORT is not a port number.
      C: XCLIENT junk
      S: -ERR Invalid parameters: expected KEY=VALUE.
      C: USER alice
      S: +OK
      C: PASS secret
      S: +OK Logged in.
    `);
    await done;
    expect(pair.connection.remote).to.deep.equal({ address: '198.51.100.7', port: 4321 });
    const s = h.backend.sessions[0]!;
    expect(s.remote.address).to.equal('198.51.100.7');
    expect(s.hops).to.equal(1);
    expect(JSON.stringify(pair.logLines)).to.include('front-42');
  });

  it('XCLIENT from an untrusted client is an unknown command and changes nothing', async () => {
    const h = buildHarness();
    const { client, pair } = h.connect();
    await client.readLine();
    await client.run(`
      C: XCLIENT ADDR=198.51.100.7
      S: -ERR Unknown command.
    `);
    expect(pair.connection.remote.address).to.equal('192.0.2.10');
  });

  it('a forwarded untrusted client address gets the failure penalty', async () => {
    const h = buildHarness({ limits: { penaltyInitial: 1, penaltyMax: 1 } });
    const { client } = h.connect({ trusted: true, remote: { address: '127.0.0.1', port: 5555 } });
    await client.readLine();
    await client.run(`
      C: XCLIENT ADDR=198.51.100.7 PORT=4321
      S: +OK Updated
      C: USER alice
      S: +OK
      C: PASS wrong
      S: -ERR [AUTH] Authentication failed.
    `);
    expect(h.penalty.size).to.equal(1);
  });

  it('idle timeout and login timeout end with -ERR', async () => {
    const h = buildHarness({ limits: { idleTimeout: 80 } });
    const { client } = h.connect();
    await client.readLine();
    await client.run('S: -ERR Disconnected for inactivity.');
    expect(await client.closed()).to.equal(true);

    // One byte at a time keeps the idle timer happy but not the total login timer (slow client).
    const h2 = buildHarness({ limits: { idleTimeout: 200, loginTimeout: 250 } });
    const c2 = h2.connect().client;
    await c2.readLine();
    const drip = setInterval(() => c2.send(Buffer.from('x')), 40);
    try {
      await c2.run('S: -ERR Login timeout.');
    } finally {
      clearInterval(drip);
    }
    expect(await c2.closed()).to.equal(true);
  });

  it('too many commands ends with -ERR', async () => {
    const h = buildHarness({ limits: { maxCommands: 5 } });
    const { client } = h.connect();
    await client.readLine();
    for (let i = 0; i < 5; i++) {
      client.send('CAPA');
      await client.expect('.');
    }
    await client.run(`
      C: CAPA
      S: -ERR Too many commands before login.
    `);
    expect(await client.closed()).to.equal(true);
  });

  it('a client that disconnects mid-session ends handle() cleanly', async () => {
    const h = buildHarness();
    const { client, done, pair } = h.connect();
    await client.readLine();
    client.stream.end('USER ali');
    await done;
    expect(pair.connection.closed).to.equal(true);
  });

  it('IMPLEMENTATION is advertised when configured, and the greeting text is configurable', async () => {
    const h = buildHarness({ pop3: { pop3_implementation: 'PigeonDeliver POP3', pop3_greeting: 'Example' } });
    const { client } = h.connect({ secured: true });
    await client.run(`
      S: +OK Example ready.
      C: CAPA
      S: +OK
      S: CAPA
      S: TOP
      S: UIDL
      S: RESP-CODES
      S: PIPELINING
      S: AUTH-RESP-CODE
      S: USER
      S: SASL PLAIN LOGIN
      S: IMPLEMENTATION PigeonDeliver POP3
      S: .
    `);
  });

  it('reject() says -ERR [SYS/TEMP] with a reason and closes', async () => {
    const h = buildHarness();
    const pair = createStreamPair();
    h.service.reject(pair.connection, RejectReason.ServerShuttingDown);
    await pair.waitFor('-ERR [SYS/TEMP] Server shutting down.');
    await pair.closed;
  });

  it('never logs passwords or SASL payloads', async () => {
    const lines: string[] = [];
    const { pino } = await import('pino');
    const logger = pino({ level: 'trace' }, { write: (l: string) => void lines.push(l) });
    const h = buildHarness({ settings: { plaintextWithoutTls: true }, logger, pop3: { pop3_apop: 'yes' } });
    const { pair, client } = h.connect();
    const ts = APOP_GREETING.exec(await client.readLine())![1]!;
    const digest = apop(ts, 'Ap0pSecretPw');
    await client.run(`
      C: USER alice
      S: +OK
      C: PASS Sup3rSecretPw
      S: -ERR [AUTH] Authentication failed.
      C: AUTH PLAIN
      S: +${' '}
      C: ${plain('alice', 'An0therSecret')}
      S: -ERR [AUTH] Authentication failed.
      C: APOP alice ${digest}
      S: -ERR [AUTH] Too many authentication failures.
    `);
    const all = lines.join('\n') + JSON.stringify(pair.logLines);
    expect(all).to.include('"event":"auth"');
    expect(all).to.not.include('Sup3rSecretPw');
    expect(all).to.not.include('An0therSecret');
    expect(all).to.not.include(plain('alice', 'An0therSecret'));
    expect(all).to.not.include(digest);
    expect(all).to.include('PASS *hidden*');
    expect(all).to.include('APOP *hidden*');
  });
});
