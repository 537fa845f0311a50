import { expect } from 'chai';
import { RejectReason } from '@pigeondeliver/core';
import { buildHarness, plain } from '../support/harness.js';

const GREETING = /^\* OK \[CAPABILITY IMAP4rev1 SASL-IR LITERAL\+ ID( STARTTLS)?( LOGINDISABLED)?( AUTH=\S+)*\] PigeonDeliver ready\.$/;

describe('ImapLoginService transcripts', () => {
  it('greets with capabilities: LOGINDISABLED and no AUTH=PLAIN on an insecure untrusted connection', async () => {
    const h = buildHarness();
    const { client } = h.connect();
    const greeting = await client.readLine();
    expect(greeting).to.match(GREETING);
    expect(greeting).to.include('STARTTLS').and.include('LOGINDISABLED').and.not.include('AUTH=PLAIN');
    await client.run(`
      C: a1 CAPABILITY
      S: /^\\* CAPABILITY IMAP4rev1 SASL-IR LITERAL\\+ ID STARTTLS LOGINDISABLED$/
      S: a1 OK Pre-login capabilities listed, post-login capabilities have more.
      C: a2 LOGIN alice secret
      S: a2 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
      C: a3 AUTHENTICATE PLAIN ${plain('alice', 'secret')}
      S: a3 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
      C: a4 NOOP
      S: a4 OK NOOP completed.
      C: a5 LOGOUT
      S: * BYE Logging out
      S: a5 OK Logout completed.
    `);
    expect(await client.closed()).to.equal(true);
  });

  it('STARTTLS: recomputes capabilities, discards input pipelined after the command', async () => {
    const h = buildHarness();
    const { client, pair } = h.connect();
    await client.readLine();
    // The injected LOGIN arrives in the same write as STARTTLS: it must never run.
    client.send(Buffer.from('s1 STARTTLS\r\nx1 LOGIN alice secret\r\n'));
    await client.run(`
      S: s1 OK Begin TLS negotiation now.
    `);
    expect(pair.connection.startTlsCalls).to.equal(1);
    await client.run(`
      C: a1 CAPABILITY
      S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID AUTH=PLAIN AUTH=LOGIN
      S: a1 OK Pre-login capabilities listed, post-login capabilities have more.
      C: a2 STARTTLS
      S: a2 BAD TLS is already active.
    `);
    expect(client.received.join('\n')).to.not.include('x1');
    expect(h.backend.starts).to.have.length(0);
  });

  it('STARTTLS without TLS support answers BAD', async () => {
    const h = buildHarness();
    const { client } = h.connect({ startTls: false });
    expect(await client.readLine()).to.not.include('STARTTLS');
    await client.run(`
      C: a STARTTLS
      S: a BAD TLS support isn't enabled.
    `);
  });

  it('LOGIN on a trusted connection hands off: the backend answers the tag; pipelined bytes go along', async () => {
    const h = buildHarness();
    const { client, pair, done } = h.connect({ trusted: true });
    await client.readLine();
    client.send('c CAPABILITY');
    await client.expect(/^c OK/);
    client.send(Buffer.from('a1 LOGIN alice "secret"\r\na2 SELECT INBOX\r\na3 LOGOUT\r\n'));
    await client.run('S: a1 OK Logged in');
    await done;
    const s = h.backend.sessions[0]!;
    expect(s.user.login).to.equal('alice');
    expect(s.loginTag).to.equal('a1');
    expect(s.mechanism).to.equal('LOGIN');
    expect(s.capabilityRequested).to.equal(true);
    expect(s.pipelined.toString()).to.equal('a2 SELECT INBOX\r\na3 LOGOUT\r\n');
    expect(s.protocol).to.equal('imap');
    expect(s.remote).to.deep.equal(pair.connection.remote);
    expect(pair.connection.closed).to.equal(false);
  });

  it('LOGIN with literals (synchronizing and LITERAL+), quoted escapes and UTF-8', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    client.send('a1 LOGIN {5}');
    await client.run('S: + OK');
    client.send(Buffer.from('alice {6+}\r\nsecret\r\n'));
    await client.run('S: a1 OK Logged in');
    const h2 = buildHarness({ settings: { plaintextWithoutTls: true } });
    const c2 = h2.connect().client;
    await c2.readLine();
    c2.send(Buffer.from('b1 LOGIN "j\u00fcrgen" "p\u00e4ssw\u00f6rd"\r\n', 'utf8'));
    await c2.run('S: b1 OK Logged in');
    expect(h2.backend.sessions[0]!.user.login).to.equal('jürgen');
    const h3 = buildHarness({ settings: { plaintextWithoutTls: true } });
    h3.users.users.set('q"u\\x', { ...h3.users.users.get('alice')!, login: 'q"u\\x' });
    const c3 = h3.connect().client;
    await c3.readLine();
    await c3.run(`
      C: c1 LOGIN "q\\"u\\\\x" secret
      S: c1 OK Logged in
    `);
  });

  it('maps results to RFC 5530 codes and closes after too many failures', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: a1 LOGIN bob secret
      S: a1 NO [CONTACTADMIN] Account is disabled, contact your administrator.
      C: a2 LOGIN carol secret
      S: a2 NO [AUTHORIZATIONFAILED] IMAP access is not allowed for this account.
      C: a3 LOGIN broken x
      S: a3 NO [UNAVAILABLE] Temporary authentication failure, try again later.
      C: a4 LOGIN alice wrong
      S: a4 NO [AUTHENTICATIONFAILED] Authentication failed.
      C: a5 LOGIN nobody wrong
      S: a5 NO [AUTHENTICATIONFAILED] Authentication failed.
      C: a6 LOGIN bob wrong
      S: a6 NO [AUTHENTICATIONFAILED] Authentication failed.
      S: * BYE Too many authentication failures.
    `);
    expect(await client.closed()).to.equal(true);
  });

  it('database down: NO [UNAVAILABLE], never a bad password', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    h.users.unavailable = true;
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: a1 LOGIN alice secret
      S: a1 NO [UNAVAILABLE] Temporary authentication failure, try again later.
      C: a2 AUTHENTICATE PLAIN ${plain('alice', 'secret')}
      S: a2 NO [UNAVAILABLE] Temporary authentication failure, try again later.
    `);
    expect(h.penalty.size).to.equal(0);
  });

  it('backend failure or missing proxy backend: NO [UNAVAILABLE] and the session continues', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    h.backend.mode = 'reject';
    const { client } = h.connect();
    await client.readLine();
    client.send(Buffer.from('a1 LOGIN alice secret\r\na2 NOOP\r\n'));
    await client.run(`
      S: a1 NO [UNAVAILABLE] Temporary failure starting your session, try again later.
      S: a2 OK NOOP completed.
      C: a3 LOGIN remote secret
      S: a3 NO [UNAVAILABLE] Temporary failure starting your session, try again later.
    `);
  });

  it('backend timeout gives NO [UNAVAILABLE]', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true }, limits: { backendTimeout: 50 } });
    h.backend.mode = 'hang';
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: a1 LOGIN alice secret
      S: a1 NO [UNAVAILABLE] Temporary failure starting your session, try again later.
    `);
  });

  it('AUTHENTICATE PLAIN with SASL-IR, with a continuation, "=" empty IR, cancel, bad base64', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: a1 AUTHENTICATE PLAIN
      S: +${' '}
      C: *
      S: a1 BAD Authentication canceled.
      C: a2 AUTHENTICATE PLAIN
      S: +${' '}
      C: not!base64
      S: a2 BAD Invalid base64 data in continued response.
      C: a3 AUTHENTICATE PLAIN not!base64
      S: a3 BAD Invalid base64 data in initial response.
      C: a4 AUTHENTICATE PLAIN =
      S: a4 BAD PLAIN message must be authzid NUL authcid NUL password.
      C: a5 AUTHENTICATE PLAIN ${plain('alice', 'secret', 'bob')}
      S: a5 NO [AUTHENTICATIONFAILED] Authentication failed.
      C: a6 AUTHENTICATE X-UNKNOWN
      S: a6 NO [CANNOT] Unsupported authentication mechanism.
      C: a7 AUTHENTICATE PLAIN
      S: +${' '}
      C: ${plain('alice', 'secret')}
      S: a7 OK Logged in
    `);
    expect(h.backend.sessions[0]!.mechanism).to.equal('PLAIN');
  });

  it('AUTHENTICATE LOGIN', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: a1 AUTHENTICATE LOGIN
      S: + ${Buffer.from('Username:').toString('base64')}
      C: ${Buffer.from('alice').toString('base64')}
      S: + ${Buffer.from('Password:').toString('base64')}
      C: ${Buffer.from('secret').toString('base64')}
      S: a1 OK Logged in
    `);
  });

  it('BAD for unknown, post-login and wrong-arity commands, syntax errors; BYE after too many', async () => {
    const h = buildHarness({ limits: { maxBadCommands: 6 } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: a1 FROB
      S: a1 BAD Unknown command.
      C: a2 SELECT INBOX
      S: a2 BAD Command not allowed before login.
      C: a3 NOOP extra
      S: a3 BAD Wrong number of arguments for NOOP.
      C: +bad NOOP
      S: * BAD Error in IMAP command received by server.
      C: a5 LOGIN "unterminated
      S: a5 BAD Unterminated quoted string.
      C: a6 ID (
      S: /^a6 BAD/
      S: * BYE Too many invalid IMAP commands.
    `);
    expect(await client.closed()).to.equal(true);
  });

  it('overlong line: BYE and close', async () => {
    const h = buildHarness({ limits: { maxLineLength: 600 } });
    const { client } = h.connect();
    await client.readLine();
    client.send(`a1 LOGIN ${'x'.repeat(700)}`);
    await client.run('S: * BYE Line too long.');
    expect(await client.closed()).to.equal(true);
  });

  it('huge literals: synchronizing BAD [TOOBIG] (session continues), non-synchronizing BYE', async () => {
    const h = buildHarness({ limits: { maxLiteralSize: 300 } });
    const { client } = h.connect();
    await client.readLine();
    await client.run(`
      C: a1 LOGIN {100000}
      S: a1 BAD [TOOBIG] Literal too large.
      C: a2 NOOP
      S: a2 OK NOOP completed.
      C: a3 LOGIN {100000+}
      S: * BYE [TOOBIG] Literal too large.
    `);
    expect(await client.closed()).to.equal(true);
  });

  it('NUL bytes and 8-bit atoms are syntax errors; invalid UTF-8 user names are refused', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    const { client } = h.connect();
    await client.readLine();
    client.send(Buffer.from('a1 LOGIN "al\0ice" secret\r\n'));
    await client.run('S: a1 BAD Invalid characters in quoted string.');
    client.send(Buffer.from('a2 LOGIN al\xffice secret\r\n', 'latin1'));
    await client.run('S: a2 BAD Invalid characters in atom.');
    client.send(Buffer.from('a3 LOGIN "\xff\xfe" secret\r\n', 'latin1'));
    await client.run('S: a3 BAD LOGIN needs a UTF-8 user name and a password.');
    client.send('a4 LOGIN {3}');
    await client.run('S: + OK');
    client.send(Buffer.from('a\0b secret\r\n', 'latin1'));
    await client.run('S: a4 BAD NUL byte in literal.');
  });

  it('8-bit passwords in literals reach the verifier as bytes', async () => {
    const h = buildHarness({ settings: { plaintextWithoutTls: true } });
    h.users.users.set('latin', { ...h.users.users.get('alice')!, login: 'latin', password: '{PLAIN}\u00e9t\u00e9' });
    const { client } = h.connect();
    await client.readLine();
    const pw = Buffer.from('été', 'utf8');
    client.send(`a1 LOGIN latin {${pw.length}+}`);
    client.send(Buffer.concat([pw, Buffer.from('\r\n')]));
    await client.run('S: a1 OK Logged in');
  });

  it('ID: answers, and from trusted networks takes the forwarded client address', async () => {
    const h = buildHarness();
    const { client, pair, done } = h.connect({ trusted: true, remote: { address: '127.0.0.1', port: 5555 } });
    await client.readLine();
    await client.run(`
      C: a1 ID ("x-originating-ip" "198.51.100.7" "x-originating-port" "4321" "x-session-id" "front-42")
      S: * ID ("name" "PigeonDeliver")
      S: a1 OK ID completed.
      C: a2 LOGIN alice secret
      S: a2 OK Logged in
    `);
    await done;
    expect(pair.connection.remote).to.deep.equal({ address: '198.51.100.7', port: 4321 });
    expect(h.backend.sessions[0]!.remote.address).to.equal('198.51.100.7');
  });

  it('ID from untrusted clients does not change the address; bad ID arguments are BAD', async () => {
    const h = buildHarness();
    const { client, pair } = h.connect();
    await client.readLine();
    await client.run(`
      C: a1 ID ("x-originating-ip" "198.51.100.7")
      S: * ID ("name" "PigeonDeliver")
      S: a1 OK ID completed.
      C: a2 ID NIL
      S: * ID ("name" "PigeonDeliver")
      S: a2 OK ID completed.
      C: a3 ID ("odd")
      S: a3 BAD ID expects up to 30 field-value pairs.
      C: a4 ID foo
      S: a4 BAD ID expects a parenthesized list or NIL.
    `);
    expect(pair.connection.remote.address).to.equal('192.0.2.10');
  });

  it('idle timeout and login timeout end with BYE', async () => {
    const h = buildHarness({ limits: { idleTimeout: 80 } });
    const { client } = h.connect();
    await client.readLine();
    await client.run('S: * BYE Disconnected for inactivity.');
    expect(await client.closed()).to.equal(true);

    // One byte at a time keeps the idle timer happy but not the total login timer.
    const h2 = buildHarness({ limits: { idleTimeout: 200, loginTimeout: 250 } });
    const c2 = h2.connect().client;
    await c2.readLine();
    const drip = setInterval(() => c2.send(Buffer.from('x')), 40);
    try {
      await c2.run('S: * BYE Login timeout.');
    } finally {
      clearInterval(drip);
    }
  });

  it('too many commands ends with BYE', async () => {
    const h = buildHarness({ limits: { maxCommands: 5 } });
    const { client } = h.connect();
    await client.readLine();
    for (let i = 0; i < 5; i++) {
      client.send(`n${i} NOOP`);
      await client.expect(`n${i} OK NOOP completed.`);
    }
    await client.run(`
      C: n6 NOOP
      S: * BYE Too many commands before login.
    `);
  });

  it('reject() says BYE with a reason and closes', async () => {
    const h = buildHarness();
    const { createStreamPair } = await import('@pigeondeliver/test-fixtures/stream-pair');
    const pair = createStreamPair();
    h.service.reject(pair.connection, RejectReason.TooManyConnections);
    await pair.waitFor('* BYE [LIMIT] Too many connections, try again later.');
    await pair.closed;
  });

  it('never logs passwords or SASL payloads', async () => {
    const records: Record<string, unknown>[] = [];
    const { recordingLogger } = await import('@pigeondeliver/test-fixtures/stream-pair');
    const logger = recordingLogger(records);
    const h = buildHarness({ settings: { plaintextWithoutTls: true }, logger });
    const { pair, client } = h.connect();
    await client.readLine();
    await client.run(`
      C: a1 LOGIN alice Sup3rSecretPw
      S: a1 NO [AUTHENTICATIONFAILED] Authentication failed.
      C: a2 AUTHENTICATE PLAIN ${plain('alice', 'An0therSecret')}
      S: a2 NO [AUTHENTICATIONFAILED] Authentication failed.
    `);
    const all = JSON.stringify(records) + JSON.stringify(pair.logLines);
    expect(all).to.include('"event":"auth"');
    expect(all).to.not.include('Sup3rSecretPw');
    expect(all).to.not.include('An0therSecret');
    expect(all).to.not.include(plain('alice', 'An0therSecret'));
    expect(all).to.include('a1 LOGIN *hidden*');
  });
});
