/**
 * Test certificates, generated at test time with the `openssl` binary (nothing secret is committed):
 * a CA, a server certificate for `localhost`, `127.0.0.1` and `::1` signed by it, a client
 * certificate signed by it (for client-certificate and pinned peer tests) and an unrelated
 * self-signed certificate (the "wrong" peer). Generated once per process into a temporary folder that
 * is removed at exit. Keys are EC P-256, so generation takes a few tens of milliseconds.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createTempDir } from './temp-dir.js';

/** Paths and PEM contents of the generated certificates. */
export interface TestCertificates {
  /** The folder holding every file. */
  readonly dir: string;
  readonly caCertPath: string;
  readonly caKeyPath: string;
  /** Server certificate (CN=localhost; SAN DNS:localhost, IP:127.0.0.1, IP:::1; serverAuth). */
  readonly serverCertPath: string;
  readonly serverKeyPath: string;
  /** Client certificate (CN=pd-test-client; clientAuth) signed by the same CA. */
  readonly clientCertPath: string;
  readonly clientKeyPath: string;
  /** A self-signed certificate for localhost that the CA did not sign. */
  readonly untrustedCertPath: string;
  readonly untrustedKeyPath: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly untrustedCert: string;
  readonly untrustedKey: string;
}

let cached: TestCertificates | undefined;

/** Whether an `openssl` binary can be run (tests skip, or fail under CI, when it cannot). */
export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function openssl(args: readonly string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('test certificates: the openssl binary is not installed (apt-get install openssl)');
    throw new Error(`test certificates: openssl ${args[0]} failed: ${err.stderr?.toString().trim() ?? err.message}`);
  }
}

/** Returns the test certificates, generating them on first use in this process. */
export function testCertificates(): TestCertificates {
  if (cached) return cached;
  const dir = createTempDir('pd-certs-');
  const run = (args: readonly string[]) => openssl(args, dir.path);
  const ecKey = (file: string) => run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);

  ecKey('ca.key');
  run(['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=PigeonDeliver Test CA', '-days', '3650', '-sha256',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'ca.crt']);

  const signed = (name: string, subject: string, extensions: string): void => {
    ecKey(`${name}.key`);
    run(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`]);
    dir.write(`${name}.ext`, extensions);
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '3650',
      '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
  };
  signed('server', '/CN=localhost', [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
    '',
  ].join('\n'));
  signed('client', '/CN=pd-test-client', ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth', ''].join('\n'));

  ecKey('untrusted.key');
  run(['req', '-x509', '-new', '-key', 'untrusted.key', '-subj', '/CN=localhost', '-days', '3650', '-sha256',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-out', 'untrusted.crt']);

  const read = (file: string) => readFileSync(dir.join(file), 'utf8');
  cached = {
    dir: dir.path,
    caCertPath: dir.join('ca.crt'),
    caKeyPath: dir.join('ca.key'),
    serverCertPath: dir.join('server.crt'),
    serverKeyPath: dir.join('server.key'),
    clientCertPath: dir.join('client.crt'),
    clientKeyPath: dir.join('client.key'),
    untrustedCertPath: dir.join('untrusted.crt'),
    untrustedKeyPath: dir.join('untrusted.key'),
    caCert: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    untrustedCert: read('untrusted.crt'),
    untrustedKey: read('untrusted.key'),
  };
  return cached;
}
