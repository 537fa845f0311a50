import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { connect as tlsConnect } from 'node:tls';
import { runToExit, type RunningDaemon } from '@pigeondeliver/test-fixtures/daemon';
import { opensslAvailable, testCertificates, type TestCertificates } from '@pigeondeliver/test-fixtures/certificates';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';
import { echoArgs, LISTEN_BIN, startEchoDaemon } from './daemon-harness.js';

/** The SHA-256 fingerprint Node reports for a PEM certificate. */
function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

describe('forker-listen implicit TLS with tls_sni_certs (SNI, RFC 6066 §3) @integration', function () {
  this.timeout(60_000);
  let certs: TestCertificates;
  let daemon: RunningDaemon | undefined;
  before(async function () {
    if (!opensslAvailable()) {
      if (process.env.CI === 'true') throw new Error('openssl is required in CI');
      this.skip();
    }
    certs = testCertificates();
    // The primary reads every file as root and hands the texts to the unprivileged workers.
    daemon = await startEchoDaemon([
      '-o', 'listen=echos=127.0.0.1:0/tls',
      '-o', `tls_cert=${certs.serverCertPath}`,
      '-o', `tls_key=${certs.serverKeyPath}`,
      '-o', `tls_sni_certs=*.example.test:${certs.untrustedCertPath}:${certs.untrustedKeyPath}`,
    ]);
  });
  after(async () => {
    await daemon?.stop('SIGKILL');
  });

  /** Connects with `servername` (none when undefined), checks the greeting, returns the served certificate's fingerprint. */
  async function servedCertificate(servername: string | undefined): Promise<string> {
    const tls = tlsConnect({ host: '127.0.0.1', port: daemon!.port('echos'), servername, rejectUnauthorized: false });
    try {
      await once(tls, 'secureConnect');
      expect(await new ScriptedClient(tls, 10_000).readLine()).to.match(/\[secured=yes\]/);
      return tls.getPeerCertificate().fingerprint256;
    } finally {
      tls.destroy();
    }
  }

  it('serves the per-name certificate to a name the wildcard matches', async () => {
    expect(await servedCertificate('foo.example.test')).to.equal(fingerprint(certs.untrustedCert));
    expect(await servedCertificate('IMAP.Example.Test')).to.equal(fingerprint(certs.untrustedCert));
  });

  it('serves the default tls_cert to other names, deeper names and no name', async () => {
    const server = fingerprint(certs.serverCert);
    expect(await servedCertificate('localhost')).to.equal(server);
    expect(await servedCertificate('a.b.example.test')).to.equal(server);
    expect(await servedCertificate(undefined)).to.equal(server);
  });

  it('stops with one clear line when a tls_sni_certs file is missing or an entry is malformed', async () => {
    const base = ['-o', 'listen=echos=127.0.0.1:0/tls', '-o', `tls_cert=${certs.serverCertPath}`, '-o', `tls_key=${certs.serverKeyPath}`];
    const missing = await runToExit(LISTEN_BIN, echoArgs([...base, '-o', `tls_sni_certs=foo.example.test:/nonexistent/sni.pem:${certs.untrustedKeyPath}`]));
    expect(missing.code).to.equal(78);
    expect(missing.stderr.trim().split('\n')).to.have.length(1);
    expect(missing.stderr).to.match(/^pd-forker-listen: configuration error: tls_sni_certs: cannot read \/nonexistent\/sni\.pem: no such file/);
    const malformed = await runToExit(LISTEN_BIN, echoArgs([...base, '-o', 'tls_sni_certs=foo.example.test:/only-a-cert.pem']));
    expect(malformed.code).to.equal(78);
    expect(malformed.stderr.trim().split('\n')).to.have.length(1);
    expect(malformed.stderr).to.match(/^pd-forker-listen: configuration error: bad tls_sni_certs entry "foo\.example\.test:\/only-a-cert\.pem"/);
  });
});
