/**
 * A tiny real-socket server for integration tests: net/tls listener on 127.0.0.1:0 -> ClientConnection
 * -> ImapLoginService (memory users, TLS from openssl-made certificates) -> a mini backend that
 * answers the login tag and then LIST/NOOP/LOGOUT well enough for real clients to finish.
 */
import { execFileSync } from 'node:child_process';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { silentLogger, type AuthenticatedSession, type ClientConnection } from '@pigeondeliver/core';
import { tlsInfoOf, unmapIpv4, type LoginCommonSettings } from '@pigeondeliver/login-common';
import { FakeBackend } from '@pigeondeliver/test-fixtures/fake-backend';
import { testCertificates, type TestCertificates } from '@pigeondeliver/test-fixtures/certificates';
import { listenLoopback, type LoopbackServer } from '@pigeondeliver/test-fixtures/loopback-server';
import { buildHarness, type Harness } from './harness.js';

/** Answers like a logged-in IMAP server, just enough for curl, imaplib and gsasl to end cleanly. */
export class MiniImapBackend extends FakeBackend {
  override async start(session: AuthenticatedSession, connection: ClientConnection): Promise<void> {
    await super.start(session, connection);
    if (this.mode !== 'ok') return;
    const stream = connection.stream;
    let buffer = Buffer.from(session.pipelined);
    const serve = (): void => {
      for (let lf = buffer.indexOf(0x0a); lf >= 0; lf = buffer.indexOf(0x0a)) {
        const line = buffer.subarray(0, lf).toString().replace(/\r$/, '');
        buffer = buffer.subarray(lf + 1);
        const [tag, verb = ''] = line.split(' ');
        switch (verb.toUpperCase()) {
          case 'LIST':
            stream.write(`* LIST (\\HasNoChildren) "/" INBOX\r\n${tag} OK List completed.\r\n`);
            break;
          case 'LOGOUT':
            stream.write(`* BYE Logging out\r\n${tag} OK Logout completed.\r\n`);
            stream.end();
            return;
          default:
            stream.write(`${tag} OK ${verb} completed.\r\n`);
        }
      }
    };
    stream.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      serve();
    });
    stream.resume();
    serve();
  }
}

/** Whether a binary runs; skip (or fail under CI) when it does not. */
export function haveBinary(name: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(name, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Skips the current test with a message, or fails when CI=true. */
export function requireBinary(ctx: Mocha.Context, name: string, args?: string[]): void {
  if (haveBinary(name, args)) return;
  if (process.env.CI === 'true') throw new Error(`${name} is required in CI (apt-get install it)`);
  ctx.skip();
}

let counter = 0;

function connectionOf(socket: Socket, secured: boolean): ClientConnection {
  return {
    sessionId: `it-${++counter}`,
    stream: socket,
    socket: secured ? undefined : socket,
    remote: { address: unmapIpv4(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 },
    local: { address: unmapIpv4(socket.localAddress ?? ''), port: socket.localPort ?? 0 },
    secured,
    tls: secured ? tlsInfoOf(socket as TLSSocket) : undefined,
    trusted: false,
    log: silentLogger(),
    close: () => socket.destroy(),
  };
}

/** The running test servers. */
export interface ImapTestServers {
  readonly harness: Harness;
  readonly backend: MiniImapBackend;
  readonly certs: TestCertificates;
  /** Plain port with STARTTLS. */
  readonly plain: LoopbackServer;
  /** Implicit TLS port. */
  readonly tls: LoopbackServer;
  close(): Promise<void>;
}

/** Starts both listeners. */
export async function startImapServers(settings: Partial<LoginCommonSettings> = {}, clientCertificates = false): Promise<ImapTestServers> {
  const certs = testCertificates();
  const harness = buildHarness({
    settings: { challengeMechanisms: true, trustedNetworks: [], ...settings },
    tls: { certFile: certs.serverCertPath, keyFile: certs.serverKeyPath, sniCertificates: [], minVersion: 'TLSv1.2', caFile: clientCertificates ? certs.caCertPath : '', requestClientCert: clientCertificates },
    backend: new MiniImapBackend('backend-dovecot'),
  });
  const backend = harness.backend as MiniImapBackend;
  const plain = await listenLoopback((socket) => void harness.service.handle(connectionOf(socket, false)));
  const tls = await listenLoopback((socket) => void harness.service.handle(connectionOf(socket, true)), { tls: harness.tls.serverOptions() });
  return {
    harness,
    backend,
    certs,
    plain,
    tls,
    async close() {
      await plain.close();
      await tls.close();
    },
  };
}
