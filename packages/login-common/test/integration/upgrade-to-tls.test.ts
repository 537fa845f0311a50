import { expect } from 'chai';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, silentLogger, type ClientConnection } from '@pigeondeliver/core';
import { TlsContextProvider, TlsUpgradableConnection, certificateUsername, upgradeToTls, withStartTls, type TlsSettings } from '@pigeondeliver/login-common';
import { opensslAvailable, testCertificates } from '@pigeondeliver/test-fixtures/certificates';
import { listenLoopback } from '@pigeondeliver/test-fixtures/loopback-server';

describe('TLS provider and STARTTLS upgrade @integration', function () {
  before(function () {
    if (!opensslAvailable()) {
      if (process.env.CI === 'true') throw new Error('openssl is required in CI');
      this.skip();
    }
  });

  const settings = (over: Partial<TlsSettings> = {}): TlsSettings => {
    const c = testCertificates();
    return { certFile: c.serverCertPath, keyFile: c.serverKeyPath, sniCertificates: [], minVersion: 'TLSv1.2', caFile: '', requestClientCert: false, ...over };
  };

  it('upgrades a plain socket server-side and reports the verified client certificate', async () => {
    const c = testCertificates();
    const provider = new TlsContextProvider(settings({ caFile: c.caCertPath, requestClientCert: true }));
    expect(provider.verifiesClientCertificates).to.equal(true);
    const upgraded: Promise<TLSSocket> = new Promise((resolve, reject) => {
      void listenLoopback((socket) => upgradeToTls(socket, provider).then(resolve, reject)).then((server) => {
        const client = tlsConnect({ host: '127.0.0.1', port: server.port, ca: c.caCert, cert: c.clientCert, key: c.clientKey, servername: 'localhost' });
        client.on('error', () => undefined);
      });
    });
    const tls = await upgraded;
    const conn: ClientConnection = {
      sessionId: 'x', stream: tls, remote: { address: '', port: 0 }, local: { address: '', port: 0 }, secured: true, trusted: false,
      log: silentLogger(), close: () => tls.destroy(),
    };
    const { tlsInfoOf } = await import('@pigeondeliver/login-common');
    const info = tlsInfoOf(tls);
    expect(info.protocol).to.match(/^TLSv1\.[23]$/);
    expect(info.servername).to.equal('localhost');
    expect(info.peerCertificate?.authorized).to.equal(true);
    expect(certificateUsername(info, 'CN')).to.equal('pd-test-client');
    expect(certificateUsername({ ...info, peerCertificate: { ...info.peerCertificate!, authorized: false } }, 'CN')).to.equal(undefined);
    expect(withStartTls(conn, provider)).to.equal(conn); // already secured: unchanged
    tls.destroy();
  });

  it('withStartTls adds STARTTLS to a plain connection; SNI picks the per-name certificate', async () => {
    const c = testCertificates();
    const provider = new TlsContextProvider(settings({ sniCertificates: [{ name: '*.example.test', certFile: c.untrustedCertPath, keyFile: c.untrustedKeyPath }] }));
    let wrapped: ClientConnection | undefined;
    let upgrade: Promise<void> | undefined;
    const server = await listenLoopback((socket) => {
      const plain: ClientConnection = {
        sessionId: 'y', stream: socket, socket, remote: { address: '127.0.0.1', port: 1 }, local: { address: '127.0.0.1', port: 2 }, secured: false, trusted: false,
        log: silentLogger(), close: () => socket.destroy(),
      };
      wrapped = withStartTls(plain, provider);
      upgrade = wrapped.startTls!();
    });
    const client = tlsConnect({ host: '127.0.0.1', port: server.port, servername: 'mail.example.test', rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => client.once('secureConnect', resolve).once('error', reject));
    expect(client.getPeerCertificate().fingerprint256).to.not.equal('');
    const untrustedFingerprint = new (await import('node:crypto')).X509Certificate(c.untrustedCert).fingerprint256;
    expect(client.getPeerCertificate().fingerprint256).to.equal(untrustedFingerprint);
    expect(wrapped).to.be.instanceOf(TlsUpgradableConnection);
    await upgrade;
    expect(wrapped!.secured).to.equal(true);
    expect(wrapped!.socket).to.equal(undefined);
    client.destroy();
    await server.close();
  });

  it('refuses incomplete or unreadable settings with the key named', () => {
    const c = testCertificates();
    expect(() => new TlsContextProvider(settings({ keyFile: '' }))).to.throw(ConfigError, /tls_key/);
    expect(() => new TlsContextProvider(settings({ certFile: '/nonexistent.pem' }))).to.throw(ConfigError, /tls_cert/);
    expect(() => new TlsContextProvider(settings({ requestClientCert: true }))).to.throw(ConfigError, /tls_ca/);
    const garbage = join(c.dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    expect(() => new TlsContextProvider(settings({ certFile: garbage }))).to.throw(ConfigError, /unusable certificate/);
    expect(new TlsContextProvider(settings({ certFile: '', keyFile: '' })).available).to.equal(false);
  });
});
