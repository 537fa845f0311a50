import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { opensslAvailable, testCertificates } from '@pigeondeliver/test-fixtures/certificates';
import { listenLoopback } from '@pigeondeliver/test-fixtures/loopback-server';

describe('test-fixtures certificates @integration', () => {
  before(function () {
    if (opensslAvailable()) return;
    if (process.env.CI === 'true') throw new Error('the openssl binary is required in CI (apt-get install openssl)');
    console.warn('    skipped: the openssl binary is not installed');
    this.skip();
  });

  it('generates a CA, a server and a client certificate once per process', () => {
    const certs = testCertificates();
    expect(testCertificates()).to.equal(certs);
    const ca = new X509Certificate(certs.caCert);
    const server = new X509Certificate(certs.serverCert);
    const client = new X509Certificate(certs.clientCert);
    expect(ca.ca).to.equal(true);
    expect(server.checkIssued(ca)).to.equal(true);
    expect(client.checkIssued(ca)).to.equal(true);
    expect(server.checkHost('localhost')).to.equal('localhost');
    expect(server.checkIP('127.0.0.1')).to.equal('127.0.0.1');
    expect(server.checkIP('::1')).to.equal('::1');
    expect(client.subject).to.contain('CN=pd-test-client');
    expect(new X509Certificate(certs.untrustedCert).checkIssued(ca)).to.equal(false);
    expect(certs.serverKeyPath.startsWith(certs.dir)).to.equal(true);
  });

  it('works for a real TLS handshake with a verified client certificate', async () => {
    const certs = testCertificates();
    const server = await listenLoopback((socket) => socket.end(`subject ${(socket as import('node:tls').TLSSocket).getPeerCertificate().subject.CN}`), {
      tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.caCert, requestCert: true, rejectUnauthorized: true },
    });
    const text = await new Promise<string>((resolve, reject) => {
      const c = connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: certs.caCert, key: certs.clientKey, cert: certs.clientCert });
      let got = '';
      c.on('data', (d: Buffer) => (got += d.toString()));
      c.on('end', () => resolve(got));
      c.on('error', reject);
    });
    expect(text).to.equal('subject pd-test-client');
    await server.close();
  });
});
