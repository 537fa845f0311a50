/**
 * A tiny real-socket server for integration tests: net/tls listener on 127.0.0.1:0 -> ClientConnection
 * -> Pop3LoginService (memory users, TLS from openssl-made certificates, APOP on) -> a mini backend
 * that answers `+OK Logged in.` and then STAT/LIST/UIDL/RETR/QUIT well enough for real clients to finish.
 */
import { execFileSync } from 'node:child_process';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { silentLogger, type AuthenticatedSession, type ClientConnection, type Limits } from '@pigeondeliver/core';
import { tlsInfoOf, unmapIpv4, type LoginCommonSettings } from '@pigeondeliver/login-common';
import { FakeBackend } from '@pigeondeliver/test-fixtures/fake-backend';
import { testCertificates, type TestCertificates } from '@pigeondeliver/test-fixtures/certificates';
import { listenLoopback, type LoopbackServer } from '@pigeondeliver/test-fixtures/loopback-server';
import { buildHarness, type Harness } from './harness.js';

/** The one message of the mini mailbox. */
export const MESSAGE = 'From: a@example.org\r\nTo: alice@example.org\r\nSubject: hello\r\n\r\nHello from the mini backend.\r\n';

/** Answers like a logged-in POP3 server, just enough for poplib, curl and openssl to end cleanly. */
export class MiniPop3Backend extends FakeBackend {
  override async start(session: AuthenticatedSession, connection: ClientConnection): Promise<void> {
    await super.start(session, connection);
    if (this.mode !== 'ok') return;
    const stream = connection.stream;
    let buffer = Buffer.from(session.pipelined);
    const size = Buffer.byteLength(MESSAGE);
    const serve = (): void => {
      for (let lf = buffer.indexOf(0x0a); lf >= 0; lf = buffer.indexOf(0x0a)) {
        const line = buffer.subarray(0, lf).toString().replace(/\r$/, '');
        buffer = buffer.subarray(lf + 1);
        const [verb = '', arg] = line.split(' ');
        switch (verb.toUpperCase()) {
          case 'STAT':
            stream.write(`+OK 1 ${size}\r\n`);
            break;
          case 'LIST':
            stream.write(arg ? `+OK 1 ${size}\r\n` : `+OK 1 messages:\r\n1 ${size}\r\n.\r\n`);
            break;
          case 'UIDL':
            stream.write(arg ? '+OK 1 uid-1\r\n' : '+OK\r\n1 uid-1\r\n.\r\n');
            break;
          case 'RETR':
            stream.write(`+OK ${size} octets\r\n${MESSAGE}.\r\n`);
            break;
          case 'NOOP':
            stream.write('+OK\r\n');
            break;
          case 'QUIT':
            stream.write('+OK Logging out.\r\n');
            stream.end();
            return;
          default:
            stream.write('-ERR Unknown command.\r\n');
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
  console.log(`      (skipped: ${name} is not installed)`);
  ctx.skip();
}

let counter = 0;

function connectionOf(socket: Socket, secured: boolean): ClientConnection {
  return {
    sessionId: `it-pop3-${++counter}`,
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
export interface Pop3TestServers {
  readonly harness: Harness;
  readonly backend: MiniPop3Backend;
  readonly certs: TestCertificates;
  /** Plain port with STLS. */
  readonly plain: LoopbackServer;
  /** Implicit TLS port (POP3S). */
  readonly tls: LoopbackServer;
  close(): Promise<void>;
}

/** Starts both listeners (APOP and the challenge mechanisms on, nobody trusted). */
export async function startPop3Servers(settings: Partial<LoginCommonSettings> = {}, limits: Partial<Limits> = {}): Promise<Pop3TestServers> {
  const certs = testCertificates();
  const harness = buildHarness({
    settings: { challengeMechanisms: true, trustedNetworks: [], ...settings },
    limits,
    pop3: { pop3_apop: 'yes' },
    tls: { certFile: certs.serverCertPath, keyFile: certs.serverKeyPath, sniCertificates: [], minVersion: 'TLSv1.2', caFile: '', requestClientCert: false },
    backend: new MiniPop3Backend('backend-dovecot'),
  });
  const backend = harness.backend as MiniPop3Backend;
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
