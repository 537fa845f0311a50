import { expect } from 'chai';
import { once } from 'node:events';
import { X509Certificate } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { connect as netConnect, createServer, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  ConfigError,
  ConnectionFactory,
  connectionFactoryFromOptions,
  CORE_OPTION_SPECS,
  endpointOf,
  formatEndpoint,
  NetworkSet,
  newSessionId,
  readTlsMaterial,
  resolveServiceUser,
  secureContextOf,
  silentLogger,
  sniContextsOf,
  socketFromDescriptor,
  validateOptions,
  type SocketConnection,
} from '@pigeondeliver/core';
import { opensslAvailable, testCertificates, type TestCertificates } from '@pigeondeliver/test-fixtures/certificates';

/** A connected pair over 127.0.0.1: `server` is the accepted socket (paused), `client` ours. */
async function tcpPair(): Promise<{ server: Socket; client: Socket; close(): void }> {
  const srv = createServer({ pauseOnConnect: true });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const accepted = once(srv, 'connection') as Promise<[Socket]>;
  const client = netConnect((srv.address() as { port: number }).port, '127.0.0.1');
  const [server] = await accepted;
  await once(client, 'connect');
  return {
    server,
    client,
    close() {
      client.destroy();
      server.destroy();
      srv.close();
    },
  };
}

function factory(trusted: string[] = ['127.0.0.0/8']): ConnectionFactory {
  return new ConnectionFactory({ logger: silentLogger(), trustedNetworks: new NetworkSet(trusted), fields: { service: 'imap' } });
}

describe('core connection module', () => {
  it('endpoints are canonical (IPv4-mapped unwrapped) and formatted for logs', () => {
    expect(endpointOf('::ffff:192.0.2.7', 143)).to.deep.equal({ address: '192.0.2.7', port: 143 });
    expect(endpointOf(undefined, undefined)).to.deep.equal({ address: '', port: 0 });
    expect(formatEndpoint({ address: '2001:db8::1', port: 993 })).to.equal('[2001:db8::1]:993');
    expect(formatEndpoint({ address: '', port: 0 })).to.equal('unknown');
    expect(newSessionId()).to.match(/^[A-Za-z0-9_-]{12}$/);
    expect(newSessionId()).not.to.equal(newSessionId());
  });

  it('wraps an accepted socket: session id, endpoints, trusted from trusted_networks, the socket for hand-off', async () => {
    const p = await tcpPair();
    try {
      const conn = factory().fromSocket(p.server);
      expect(conn.sessionId).to.match(/^[A-Za-z0-9_-]{12}$/);
      expect(conn.remote).to.deep.equal({ address: '127.0.0.1', port: p.client.localPort });
      expect(conn.local).to.deep.equal({ address: '127.0.0.1', port: p.client.remotePort });
      expect(conn.trusted).to.equal(true);
      expect(conn.socket).to.equal(p.server);
      expect(conn.stream).to.equal(p.server);
      expect(conn.secured).to.equal(false);
      expect(conn.startTls).to.equal(undefined);
      const other = factory(['10.0.0.0/8']).fromSocket(p.server, { remote: { address: '::ffff:10.1.2.3', port: 5 }, sessionId: 'fixed' });
      expect(other.sessionId).to.equal('fixed');
      expect(other.trusted).to.equal(true);
    } finally {
      p.close();
    }
  });

  it('close() destroys our copy without a FIN first (never end())', async () => {
    const p = await tcpPair();
    try {
      const conn = factory().fromSocket(p.server);
      let ended = false;
      const s = conn.socket!;
      const origEnd = s.end.bind(s);
      s.end = ((...args: Parameters<Socket['end']>) => {
        ended = true;
        return origEnd(...args);
      }) as Socket['end'];
      conn.close();
      await once(p.server, 'close');
      expect(ended).to.equal(false);
      expect(p.server.destroyed).to.equal(true);
    } finally {
      p.close();
    }
  });

  it('prefix bytes are read by the protocol before the socket\'s own', async () => {
    const p = await tcpPair();
    try {
      const conn = factory().fromSocket(p.server, { prefix: Buffer.from('a1 NOOP\r\n') });
      p.client.write('a2 NOOP\r\n');
      p.server.resume();
      let text = '';
      conn.stream.on('data', (d: Buffer) => (text += d.toString()));
      while (!text.includes('a2')) await new Promise((r) => setTimeout(r, 5));
      expect(text).to.equal('a1 NOOP\r\na2 NOOP\r\n');
    } finally {
      p.close();
    }
  });

  it('socketFromDescriptor refuses what is not a socket, with a message saying what it is', () => {
    const fd = openSync('/etc/hostname', 'r');
    try {
      expect(() => socketFromDescriptor(fd)).to.throw(/descriptor \d+ is a file/);
    } finally {
      closeSync(fd);
    }
    expect(() => socketFromDescriptor(987654)).to.throw(/not open \(EBADF\)/);
  });

  it('resolveServiceUser: uid:gid, names from /etc/passwd, never root', () => {
    expect(resolveServiceUser('12346:12347', 'x_user')).to.deep.equal({ name: '12346:12347', uid: 12346, gid: 12347 });
    expect(resolveServiceUser('nobody', 'x_user')).to.include({ uid: 65534 });
    expect(() => resolveServiceUser('root', 'x_user')).to.throw(ConfigError, /x_user: client input must not be read as root/);
    expect(() => resolveServiceUser('0', 'x_user')).to.throw(ConfigError, /root/);
    expect(() => resolveServiceUser('no-such-user-pd', 'x_user')).to.throw(ConfigError, /no such user/);
    expect(() => resolveServiceUser('a b', 'x_user')).to.throw(ConfigError, /not a user name/);
  });

  describe('TLS', function () {
    let certs: TestCertificates;
    before(function () {
      if (!opensslAvailable()) {
        if (process.env.CI === 'true') throw new Error('openssl is required in CI');
        this.skip();
      }
      certs = testCertificates();
    });

    function tlsFactory(offerStartTls: boolean): ConnectionFactory {
      const material = readTlsMaterial((k) => ({ tls_cert: certs.serverCertPath, tls_key: certs.serverKeyPath })[k as 'tls_cert']);
      return new ConnectionFactory({
        logger: silentLogger(),
        trustedNetworks: new NetworkSet([]),
        tls: { context: secureContextOf(material!), requestCert: false, handshakeTimeout: 5000, offerStartTls },
      });
    }

    it('implicit TLS: handshake first, then `stream` is TLS and `socket` is gone (backends relay)', async () => {
      const srv = createServer({ pauseOnConnect: true });
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      const accepted = once(srv, 'connection') as Promise<[Socket]>;
      const client = tlsConnect({ port: (srv.address() as { port: number }).port, host: '127.0.0.1', ca: certs.caCert, servername: 'localhost' });
      const [server] = await accepted;
      try {
        const conn = tlsFactory(false).fromSocket(server);
        await conn.startImplicitTls();
        expect(conn.secured).to.equal(true);
        expect(conn.socket).to.equal(undefined);
        expect(conn.tls!.protocol).to.match(/^TLSv1\.[23]$/);
        conn.stream.write('* OK hello\r\n');
        const [data] = (await once(client, 'data')) as [Buffer];
        expect(data.toString()).to.equal('* OK hello\r\n');
      } finally {
        client.destroy();
        server.destroy();
        srv.close();
      }
    });

    it('implicit TLS serves the tls_sni_certs certificate for a matching name, the default one otherwise', async () => {
      const material = readTlsMaterial((k) => ({ tls_cert: certs.serverCertPath, tls_key: certs.serverKeyPath, tls_sni_certs: `*.example.test:${certs.untrustedCertPath}:${certs.untrustedKeyPath}` })[k as 'tls_cert'])!;
      expect(material.sni).to.have.length(1);
      const factory = new ConnectionFactory({
        logger: silentLogger(),
        trustedNetworks: new NetworkSet([]),
        tls: { context: secureContextOf(material), contextFor: sniContextsOf(material), requestCert: false, handshakeTimeout: 5000, offerStartTls: false },
      });
      const served = async (servername: string): Promise<string> => {
        const srv = createServer({ pauseOnConnect: true });
        await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
        const accepted = once(srv, 'connection') as Promise<[Socket]>;
        const client = tlsConnect({ port: (srv.address() as { port: number }).port, host: '127.0.0.1', servername, rejectUnauthorized: false });
        const [server] = await accepted;
        try {
          await Promise.all([factory.fromSocket(server).startImplicitTls(), once(client, 'secureConnect')]);
          return client.getPeerCertificate().fingerprint256;
        } finally {
          client.destroy();
          server.destroy();
          srv.close();
        }
      };
      const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
      expect(await served('foo.example.test')).to.equal(fingerprint(certs.untrustedCert));
      expect(await served('localhost')).to.equal(fingerprint(certs.serverCert));
    });

    it('STARTTLS from the material: plaintext sent before the handshake is discarded (RFC 3501 §6.2.1)', async () => {
      const p = await tcpPair();
      try {
        const conn: SocketConnection = tlsFactory(true).fromSocket(p.server);
        expect(conn.startTls).to.be.a('function');
        p.server.resume();
        p.server.pause();
        p.client.write('injected\r\n');
        await new Promise((r) => setTimeout(r, 50));
        const upgrading = conn.startTls!();
        const secure = tlsConnect({ socket: p.client, ca: certs.caCert, servername: 'localhost' });
        await upgrading;
        let got = '';
        conn.stream.on('data', (d: Buffer) => (got += d.toString()));
        secure.write('a LOGIN\r\n');
        while (!got.includes('a LOGIN')) await new Promise((r) => setTimeout(r, 5));
        expect(got).to.equal('a LOGIN\r\n');
        expect(conn.secured).to.equal(true);
        expect(conn.socket).to.equal(undefined);
        secure.destroy();
      } finally {
        p.close();
      }
    });

    it('options: tls off reads nothing; required without tls_cert names the key and the need', () => {
      const opts = (extra: Record<string, string>) => validateOptions(Object.entries(extra).map(([key, value]) => ({ key, value, source: 'test' })), CORE_OPTION_SPECS, ['tls_']);
      expect(connectionFactoryFromOptions(opts({}), silentLogger(), { tls: 'off' }).settings.tls).to.equal(undefined);
      expect(() => connectionFactoryFromOptions(opts({}), silentLogger(), { tls: 'required', tlsRequiredBy: 'inetd_implicit_tls' })).to.throw(ConfigError, /inetd_implicit_tls needs TLS/);
      expect(() => connectionFactoryFromOptions(opts({ trusted_networks: 'nonsense' }), silentLogger())).to.throw(ConfigError, /trusted_networks/);
      expect(() => readTlsMaterial((k) => (k === 'tls_cert' ? certs.serverCertPath : undefined))).to.throw(ConfigError, /tls_key/);
      expect(() => readTlsMaterial((k) => (k === 'tls_cert' ? '/nonexistent.pem' : k === 'tls_key' ? certs.serverKeyPath : undefined))).to.throw(ConfigError, /tls_cert: cannot read \/nonexistent.pem: no such file/);
      expect(() => readTlsMaterial((k) => ({ tls_cert: certs.serverCertPath, tls_key: certs.untrustedKeyPath })[k as 'tls_cert'])).to.throw(ConfigError, /unusable certificate or key/);
      expect(() => readTlsMaterial((k) => ({ tls_cert: certs.serverCertPath, tls_key: certs.serverKeyPath, tls_min_version: 'TLSv1.0' })[k as 'tls_cert'])).to.throw(ConfigError, /tls_min_version/);
      const withSni = (sni: string, cert = certs.serverCertPath) => () => readTlsMaterial((k) => ({ tls_cert: cert, tls_key: certs.serverKeyPath, tls_sni_certs: sni })[k as 'tls_cert']);
      expect(withSni('foo.test:/c.pem')).to.throw(ConfigError, /bad tls_sni_certs entry "foo.test:\/c.pem"/);
      expect(withSni(`foo.test:/nonexistent.pem:${certs.untrustedKeyPath}`)).to.throw(ConfigError, /tls_sni_certs: cannot read \/nonexistent.pem: no such file/);
      expect(withSni(`foo.test:${certs.untrustedCertPath}:${certs.serverKeyPath}`)).to.throw(ConfigError, /tls_sni_certs: unusable certificate or key for foo.test/);
      expect(withSni(`foo.test:${certs.untrustedCertPath}:${certs.untrustedKeyPath}`, '')).to.throw(ConfigError, /tls_sni_certs needs a default tls_cert/);
    });
  });
});
