// A tiny line protocol standing in for login-imap in forker tests (IMAP-like tags, no real IMAP):
//   greeting  * OK [pid=P] [remote=ADDR:PORT] [local=ADDR:PORT] [trusted=yes|no] [secured=yes|no] [session=ID] GREETING
//   T NOOP            -> T OK noop
//   T STARTTLS        -> T OK begin TLS (then TLS; "T NO no tls" when the forker offers none)
//   T LOGIN user pass -> hands the session to the default backend (backend-echo answers "T OK ...")
//   T LOGOUT          -> * BYE logging out / T OK logout
// reject(conn, reason) -> "* BYE [reason] rejected" and close. Lines are capped at 1000 bytes.
const ILoginService = Symbol.for('pigeondeliver:ILoginService');
const IBackendRegistry = Symbol.for('pigeondeliver:IBackendRegistry');

const greetingSpec = { key: 'echo_greeting', description: 'text at the end of the greeting', defaultValue: 'echo ready', parse: (s) => s };
const delaySpec = { key: 'echo_greeting_delay', description: 'milliseconds to wait before greeting (tests of slow clients)', defaultValue: '0', parse: (s) => { if (!/^\d+$/.test(s)) throw new Error(`expected milliseconds, got "${s}"`); return Number(s); } };

// The TLS keys login-common declares for real login services (the forker reads them by key).
const tlsSpecs = ['tls_cert', 'tls_key', 'tls_sni_certs', 'tls_ca', 'tls_min_version', 'tls_request_client_cert'].map((key) => ({ key, description: `as in login-common (${key})`, defaultValue: '', parse: (s) => s }));

const yn = (b) => (b ? 'yes' : 'no');

class EchoLogin {
  protocol = 'imap';
  constructor(container, options) {
    this.container = container;
    this.greeting = options.get(greetingSpec);
    this.delay = options.get(delaySpec);
  }

  reject(conn, reason) {
    try { conn.stream.write(`* BYE [${reason}] rejected\r\n`); } catch { /* closed */ }
    conn.close();
  }

  async handle(conn) {
    if (this.delay > 0) await new Promise((r) => setTimeout(r, this.delay));
    const r = conn.remote;
    const l = conn.local;
    conn.stream.write(`* OK [pid=${process.pid}] [remote=${r.address}:${r.port}] [local=${l.address}:${l.port}] [trusted=${yn(conn.trusted)}] [secured=${yn(conn.secured)}] [session=${conn.sessionId}] ${this.greeting}\r\n`);
    return new Promise((resolve) => {
      let buffer = Buffer.alloc(0);
      let stream = conn.stream;
      let busy = false;
      const finish = () => { detach(); resolve(); };
      const onData = (chunk) => { buffer = Buffer.concat([buffer, chunk]); if (!busy) void pump(); };
      const attach = () => { stream.on('data', onData); stream.once('close', finish); stream.once('end', finish); stream.on('error', () => {}); };
      const detach = () => { stream.off('data', onData); stream.off('close', finish); stream.off('end', finish); };
      const pump = async () => {
        busy = true;
        for (;;) {
          const nl = buffer.indexOf(10);
          if (nl < 0) {
            if (buffer.length > 1000) { stream.write('* BYE line too long\r\n'); conn.close(); return finish(); }
            break;
          }
          const line = buffer.subarray(0, nl).toString('latin1').replace(/\r$/, '');
          buffer = buffer.subarray(nl + 1);
          const [tag = '*', verb = '', ...args] = line.split(' ');
          switch (verb.toUpperCase()) {
            case 'NOOP': stream.write(`${tag} OK noop\r\n`); break;
            case 'LOGOUT': stream.write(`* BYE logging out\r\n${tag} OK logout\r\n`); stream.end(); return finish();
            case 'STARTTLS':
              if (!conn.startTls) { stream.write(`${tag} NO no tls\r\n`); break; }
              stream.write(`${tag} OK begin TLS\r\n`);
              detach();
              buffer = Buffer.alloc(0);
              try { await conn.startTls(); } catch { conn.close(); return finish(); }
              stream = conn.stream;
              attach();
              break;
            case 'LOGIN': {
              if (args.length < 2) { stream.write(`${tag} BAD LOGIN user pass\r\n`); break; }
              detach();
              stream.pause();
              const session = {
                sessionId: conn.sessionId, protocol: 'imap', mechanism: 'LOGIN', loginTag: tag, capabilityRequested: false,
                pipelined: buffer, remote: conn.remote, local: conn.local, secured: conn.secured, trusted: conn.trusted, hops: 0,
                user: { id: 1, login: args[0], password: null, uid: null, gid: null, home: null, mail: null, host: null, backend: null,
                  quotaBytes: null, enabled: true, allowImap: true, allowPop3: true, version: 1, createdAt: new Date(), updatedAt: new Date(), lastLoginAt: null, lastLoginIp: null },
              };
              try {
                const backends = this.container.resolve(IBackendRegistry);
                await backends.forName(null).start(session, conn);
                return resolve();
              } catch (e) {
                stream.write(`${tag} NO [UNAVAILABLE] ${String(e && e.message).replace(/[\r\n]/g, ' ')}\r\n`);
                stream.resume();
                attach();
              }
              break;
            }
            default: stream.write(`${tag} BAD unknown command\r\n`);
          }
        }
        busy = false;
      };
      attach();
    });
  }
}

export default {
  apiVersion: 1,
  kind: 'login',
  name: 'login-echo',
  options: [greetingSpec, delaySpec, ...tlsSpecs],
  optionPrefixes: ['echo_'],
  register(container, options) {
    container.register(ILoginService, { useFactory: (c) => new EchoLogin(c, options) });
  },
};
