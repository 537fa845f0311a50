import { expect } from 'chai';
import { createConnection, type Socket } from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@pigeondeliver/core';
import {
  AF_INET,
  AF_INET6,
  AuthMasterServer,
  decodeLoginReply,
  encodeLoginRequest,
  failLine,
  generateDovecotHandoffConfig,
  imapRequestData,
  isTestedVersion,
  parseAuthMasterLine,
  parseIpAddress,
  parsePoolUids,
  PendingHandoffs,
  pop3RequestData,
  tabEscape,
  tabUnescape,
  userLine,
  HandoffPools,
  poolShardServiceNames,
  type AuthMasterAnswer,
} from '@pigeondeliver/backend-dovecot';

describe('handoff: login request, auth-master protocol, pending table, config', function () {
  it('encodes struct master_auth_request at the offsets of Dovecot 2.3 on LP64', () => {
    const cookie = Buffer.alloc(16, 0xab);
    const data = imapRequestData('sess1', 'a1', true, Buffer.from('b SELECT INBOX\r\n'));
    const buf = encodeLoginRequest({
      tag: 7, authPid: 100, authId: 200, clientPid: 300, cookie,
      localIp: '127.0.0.1', localPort: 143, remoteIp: '::1', remotePort: 50000,
      flags: 2, ino: 123456789012n, data,
    });
    expect(buf.length).to.equal(96 + data.length);
    expect([buf.readUInt32LE(0), buf.readInt32LE(4), buf.readUInt32LE(8), buf.readUInt32LE(12)]).to.deep.equal([7, 100, 200, 300]);
    expect(buf.subarray(16, 32)).to.deep.equal(cookie);
    expect(buf.readUInt16LE(32)).to.equal(AF_INET);
    expect([...buf.subarray(36, 40)]).to.deep.equal([127, 0, 0, 1]);
    expect(buf.readUInt16LE(52)).to.equal(AF_INET6);
    expect(buf[56 + 15]).to.equal(1);
    expect([buf.readUInt16LE(72), buf.readUInt16LE(74), buf.readUInt32LE(76), buf.readUInt32LE(80)]).to.deep.equal([143, 50000, 2, data.length]);
    expect(buf.readBigUInt64LE(88)).to.equal(123456789012n);
    expect(buf.subarray(96).toString('latin1')).to.equal('sess1\x001a1\x00b SELECT INBOX\r\n');
  });

  it('POP3 data is the session id and the pipelined bytes; oversized data and bad cookies are refused', () => {
    expect(pop3RequestData('s', Buffer.from('STAT\r\n')).toString('latin1')).to.equal('s\x00STAT\r\n');
    expect(pop3RequestData('bad id', Buffer.alloc(0)).toString('latin1')).to.equal('\x00');
    const base = { tag: 1, authPid: 1, authId: 1, clientPid: 1, flags: 0, ino: 1n };
    expect(() => encodeLoginRequest({ ...base, cookie: Buffer.alloc(16), data: Buffer.alloc(1219) })).to.throw(/at most 1218/);
    expect(() => encodeLoginRequest({ ...base, cookie: Buffer.alloc(8), data: Buffer.alloc(1) })).to.throw(/16 bytes/);
  });

  it('decodes the 12-byte reply', () => {
    const b = Buffer.alloc(12);
    b.writeUInt32LE(9, 0);
    b.writeUInt32LE(1, 4);
    b.writeInt32LE(4242, 8);
    expect(decodeLoginReply(b)).to.deep.equal({ tag: 9, status: 1, mailPid: 4242 });
    expect(() => decodeLoginReply(Buffer.alloc(5))).to.throw(/12/);
  });

  it('parses IPv4, IPv6, mapped and unknown addresses', () => {
    expect(parseIpAddress('::ffff:10.1.2.3').family).to.equal(AF_INET);
    expect([...parseIpAddress('::ffff:10.1.2.3').bytes.subarray(0, 4)]).to.deep.equal([10, 1, 2, 3]);
    expect(parseIpAddress('2001:db8::1').bytes.toString('hex')).to.equal('20010db8000000000000000000000001');
    expect(parseIpAddress('fe80::1:2').bytes.toString('hex')).to.equal('fe800000000000000000000000010002');
    expect(parseIpAddress('64:ff9b::192.0.2.33').bytes.toString('hex')).to.equal('0064ff9b0000000000000000c0000221');
    expect(parseIpAddress('').family).to.equal(0);
    expect(parseIpAddress('not-an-ip').family).to.equal(0);
  });

  it('tab-escapes like str_tabescape and parses REQUEST and VERSION lines', () => {
    expect(tabEscape('a\tb\nc\x01')).to.equal('a\x01tb\x01nc\x011');
    expect(tabUnescape(tabEscape('x\r\ty\x01'))).to.equal('x\r\ty\x01');
    const r = parseAuthMasterLine(`REQUEST\t5\t10\t20\t${'AB'.repeat(16)}\tsession_pid=30\trequest_auth_token`);
    expect(r).to.deep.equal({ kind: 'request', request: { id: 5, clientPid: 10, authId: 20, cookieHex: 'ab'.repeat(16), sessionPid: 30 } });
    expect(parseAuthMasterLine('VERSION\t1\t1')).to.deep.equal({ kind: 'version', major: 1, minor: 1 });
    expect(parseAuthMasterLine('REQUEST\t5\t10\t20\tzz').kind).to.equal('invalid');
    expect(parseAuthMasterLine('REQUEST\tx').kind).to.equal('invalid');
    expect(parseAuthMasterLine('CPID\t1').kind).to.equal('other');
    expect(userLine(5, 'u\tx', [['home', '/h']])).to.equal('USER\t5\tu\x01tx\thome=/h\n');
    expect(failLine(5, 'no')).to.equal('FAIL\t5\treason=no\n');
  });

  it('pending hand-offs are single-use, expire, and need the cookie and the client pid', () => {
    let now = 1000;
    const table = new PendingHandoffs(100, () => now);
    const spec = { clientPid: 42, user: 'u', fields: [], sessionId: 's' };
    const e = table.add(spec);
    expect(e.cookie.length).to.equal(16);
    expect(table.take(e.authId, e.cookie.toString('hex'), 42)).to.deep.include({ ok: true });
    expect(table.take(e.authId, e.cookie.toString('hex'), 42)).to.deep.include({ ok: false, reason: 'replayed' });
    const w = table.add(spec);
    expect(table.take(w.authId, '00'.repeat(16), 42)).to.deep.include({ ok: false, reason: 'wrong cookie' });
    const p = table.add(spec);
    expect(table.take(p.authId, p.cookie.toString('hex'), 43)).to.deep.include({ ok: false, reason: 'wrong client pid' });
    const x = table.add(spec);
    now += 101;
    expect(table.take(x.authId, x.cookie.toString('hex'), 42)).to.deep.include({ ok: false, reason: 'expired' });
    const y = table.add(spec);
    now += 500;
    expect(table.size).to.equal(0);
    expect(table.take(y.authId, y.cookie.toString('hex'), 42)).to.deep.include({ ok: false, reason: 'expired' });
    expect(table.take(999, '00'.repeat(16), 42)).to.deep.include({ ok: false, reason: 'unknown' });
  });

  describe('AuthMasterServer over a real socket (peer credentials given by the test)', function () {
    let dir: string;
    let server: AuthMasterServer;
    let peerPid: number;
    const answers: AuthMasterAnswer[] = [];
    const table = new PendingHandoffs(10_000);

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'pd-am-'));
      peerPid = 777;
      server = new AuthMasterServer({ path: join(dir, 'am'), pending: table, log: silentLogger(), credentials: () => ({ pid: peerPid, uid: 0, gid: 0 }), onAnswer: (a) => answers.push(a) });
      await server.listen();
    });

    afterEach(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    function exchange(lines: string, until: RegExp): Promise<string> {
      return new Promise((resolve, reject) => {
        const c: Socket = createConnection(join(dir, 'am'));
        let text = '';
        c.setEncoding('latin1');
        c.on('data', (d: string) => {
          text += d;
          if (until.test(text)) {
            c.destroy();
            resolve(text);
          }
        });
        c.on('error', reject);
        c.write(lines);
      });
    }

    it('announces VERSION and SPID, answers USER only with id, cookie, client pid and session pid right', async () => {
      expect(statSync(join(dir, 'am')).mode & 0o777).to.equal(0o600);
      const e = table.add({ clientPid: process.pid, user: 'ann', fields: [['uid', '5000'], ['home', '/h/ann']], sessionId: 's1' });
      const text = await exchange(`VERSION\t1\t1\nREQUEST\t9\t${process.pid}\t${e.authId}\t${e.cookie.toString('hex')}\tsession_pid=777\n`, /\n(USER|FAIL)[^\n]*\n/);
      expect(text).to.equal(`VERSION\t1\t1\nSPID\t${process.pid}\nUSER\t9\tann\tuid=5000\thome=/h/ann\n`);
    });

    it('refuses a session_pid that is not the connected process, and a replay', async () => {
      const e = table.add({ clientPid: process.pid, user: 'ann', fields: [], sessionId: 's2' });
      const req = `REQUEST\t3\t${process.pid}\t${e.authId}\t${e.cookie.toString('hex')}\tsession_pid=778\n`;
      expect(await exchange(req, /FAIL[^\n]*\n/)).to.match(/FAIL\t3\treason=hand-off refused\n$/);
      expect(answers.at(-1)!.reason).to.match(/session_pid 778 is not the connected process 777/);
      expect(await exchange(req.replace('session_pid=778', 'session_pid=777'), /FAIL[^\n]*\n/)).to.match(/FAIL\t3/);
      expect(answers.at(-1)!.reason).to.equal('replayed hand-off');
    });

    it('closes a connection that speaks another major version, and refuses a second listener on the path', async () => {
      const closed = await new Promise<boolean>((resolve) => {
        const c = createConnection(join(dir, 'am'));
        c.resume();
        c.on('close', () => resolve(true));
        c.on('error', () => undefined);
        c.write('VERSION\t2\t0\n');
      });
      expect(closed).to.equal(true);
      const second = new AuthMasterServer({ path: join(dir, 'am'), pending: table, log: silentLogger() });
      let error: Error | undefined;
      await second.listen().catch((e: Error) => (error = e));
      expect(error?.message).to.match(/already serves/);
    });
  });

  it('generates one reused service and login socket per uid and protocol, and refuses unsafe values', () => {
    const text = generateDovecotHandoffConfig({ authSocket: '/run/pd/am', uids: [5000, 6000], loginGroup: 'pigeon', processMinAvail: 3 });
    for (const s of ['imap-uid5000', 'pop3-uid5000', 'imap-uid6000', 'pop3-uid6000']) {
      expect(text).to.contain(`service ${s} {`);
      expect(text).to.contain(`unix_listener login/${s} {`);
    }
    expect(text).to.contain('executable = imap -a /run/pd/am');
    expect(text).to.contain('service_count = 0');
    expect(text).to.contain('process_min_avail = 3');
    expect(text).to.contain('group = pigeon\n    mode = 0660');
    expect(generateDovecotHandoffConfig({ authSocket: '/a', uids: [1] })).to.contain('mode = 0600');
    expect(() => generateDovecotHandoffConfig({ authSocket: '/a b', uids: [1] })).to.throw(/cannot be written/);
    expect(() => generateDovecotHandoffConfig({ authSocket: '/a', uids: [] })).to.throw(/no pooled uid/);
    expect(() => generateDovecotHandoffConfig({ authSocket: '/a', uids: [1], loginGroup: 'x}\n' })).to.throw(/cannot be written/);
  });

  it('shards: k services per pool with the processes spread over them, used in turn by the pools', () => {
    const text = generateDovecotHandoffConfig({ authSocket: '/run/pd/am', uids: [5000], processMinAvail: 6, processLimit: 10, shards: 4 });
    for (const s of ['imap-uid5000-s1', 'imap-uid5000-s4', 'pop3-uid5000-s1', 'pop3-uid5000-s4']) expect(text).to.contain(`service ${s} {\n  executable = ${s.slice(0, 4)} -a /run/pd/am\n`);
    expect(text).to.not.contain('service imap-uid5000 {');
    expect(text).to.not.contain('-s5');
    expect(text.match(/process_min_avail = 2\n/g)).to.have.length(8); // ceil(6 / 4) per shard
    expect(text.match(/process_limit = 3\n/g)).to.have.length(8); // ceil(10 / 4)
    expect(() => generateDovecotHandoffConfig({ authSocket: '/a', uids: [1], shards: 0 })).to.throw(/shards 0/);
    expect(() => generateDovecotHandoffConfig({ authSocket: '/a', uids: [1], shards: 65 })).to.throw(/shards 65 must be an integer from 1 to 64/);
    expect(() => new HandoffPools([1], '/run/dovecot', ['imap'], undefined, 1.5)).to.throw(/shards 1.5/);
    const pools = new HandoffPools([5000], '/run/dovecot', ['imap'], undefined, 3);
    expect([1, 2, 3, 4].map(() => pools.forUid('imap', 5000)?.service)).to.deep.equal(['imap-uid5000-s1', 'imap-uid5000-s2', 'imap-uid5000-s3', 'imap-uid5000-s1']);
    expect(pools.forUid('imap', 5000)?.socketPath).to.equal('/run/dovecot/login/imap-uid5000-s2');
    expect(pools.all().map((p) => p.service)).to.deep.equal(['imap-uid5000-s1', 'imap-uid5000-s2', 'imap-uid5000-s3']);
    expect(poolShardServiceNames('pop3', 7, 1)).to.deep.equal(['pop3-uid7']);
  });

  it('routes a uid only to its own pool; parses uid lists; checks versions', () => {
    const pools = new HandoffPools([5000, 6000], '/run/dovecot');
    expect(pools.forUid('imap', 5000)?.socketPath).to.equal('/run/dovecot/login/imap-uid5000');
    expect(pools.forUid('pop3', 6000)?.service).to.equal('pop3-uid6000');
    expect(pools.forUid('imap', 7000)).to.equal(undefined);
    expect(parsePoolUids([], 5000)).to.deep.equal([5000]);
    expect(parsePoolUids(['1', '1', '2'], undefined)).to.deep.equal([1, 2]);
    expect(() => parsePoolUids(['0'], undefined)).to.throw(/not a uid/);
    expect(isTestedVersion('2.3.19.1', ['2.3'])).to.equal(true);
    expect(isTestedVersion('2.30.1', ['2.3'])).to.equal(false);
    expect(isTestedVersion('2.4.1', ['2.3'])).to.equal(false);
  });
});
