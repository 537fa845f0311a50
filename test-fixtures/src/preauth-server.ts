/**
 * A tiny loopback IMAP/POP3 pre-authentication server for backend tests: greets, answers CAPABILITY /
 * CAPA, accepts any `LOGIN` / `USER`+`PASS` and calls `IBackend.start` with an AuthenticatedSession,
 * the bytes pipelined after the login command included. On a BackendError it answers
 * `NO [UNAVAILABLE]` / `-ERR [SYS/TEMP]` like the login services do. Plain TCP or implicit TLS.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { silentLogger, type AuthenticatedSession, type ClientConnection, type IBackend, type Logger, type UserRecord } from '@pigeondeliver/core';

/** Settings of {@link startPreauthServer}. */
export interface PreauthServerOptions {
  readonly protocol: 'imap' | 'pop3';
  readonly backend: IBackend;
  /** The user row for a login name. */
  readonly user: (login: string) => UserRecord;
  /** Implicit TLS with this key and certificate (PEM). */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  readonly log?: Logger;
}

/** A running server. */
export interface PreauthServer {
  readonly port: number;
  /** Sessions handed to the backend successfully. */
  readonly started: number;
  /** Errors `backend.start` rejected with, in order. */
  readonly failures: Error[];
  /** Resolves after the next `backend.start` settles (success or failure). */
  nextStart(): Promise<void>;
  close(): Promise<void>;
}

let sessionCounter = 0;

/** Builds a UserRecord with test defaults. */
export function testUserRecord(fields: Partial<UserRecord> & { login: string }): UserRecord {
  const now = new Date();
  return {
    id: 1,
    password: null,
    uid: null,
    gid: null,
    home: null,
    mail: null,
    host: null,
    backend: null,
    quotaBytes: null,
    enabled: true,
    allowImap: true,
    allowPop3: true,
    version: 1,
    createdAt: now,
    updatedAt: now,
    lastLoginAt: null,
    lastLoginIp: null,
    ...fields,
  };
}

/** Starts the server on 127.0.0.1, port 0; resolves when it listens. */
export async function startPreauthServer(options: PreauthServerOptions): Promise<PreauthServer> {
  const log = options.log ?? silentLogger();
  let started = 0;
  const failures: Error[] = [];
  let waiters: (() => void)[] = [];
  const settled = (): void => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };

  const handle = (stream: Duplex, raw: Socket, secured: boolean): void => {
    const sessionId = `t${++sessionCounter}`;
    const remote = { address: raw.remoteAddress ?? '', port: raw.remotePort ?? 0 };
    const local = { address: raw.localAddress ?? '', port: raw.localPort ?? 0 };
    const connection: ClientConnection = {
      sessionId,
      stream,
      socket: secured ? undefined : raw,
      remote,
      local,
      secured,
      trusted: true,
      log: log.child({ session: sessionId }),
      close: () => stream.destroy(),
    };
    const imap = options.protocol === 'imap';
    stream.on('error', () => undefined);
    stream.write(imap ? '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] pd test ready\r\n' : '+OK pd test ready\r\n');
    let buffer = Buffer.alloc(0);
    let login = '';
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const nl = buffer.indexOf('\n');
        if (nl < 0) return;
        const line = buffer.subarray(0, nl).toString('utf8').replace(/\r$/, '');
        buffer = buffer.subarray(nl + 1);
        const words = line.split(' ');
        if (imap) {
          const [tag = '*', verb = ''] = words;
          switch (verb.toUpperCase()) {
            case 'CAPABILITY':
              stream.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
              break;
            case 'LOGIN':
              return handOff(tag, (words[2] ?? '').replace(/^"|"$/g, ''), 'LOGIN');
            case 'LOGOUT':
              stream.end(`* BYE bye\r\n${tag} OK done\r\n`);
              return;
            default:
              stream.write(`${tag} BAD not here\r\n`);
          }
        } else {
          const verb = (words[0] ?? '').toUpperCase();
          if (verb === 'CAPA') stream.write('+OK\r\nUSER\r\n.\r\n');
          else if (verb === 'USER') {
            login = words[1] ?? '';
            stream.write('+OK\r\n');
          } else if (verb === 'PASS') return handOff('', login, 'USER');
          else if (verb === 'QUIT') {
            stream.end('+OK bye\r\n');
            return;
          } else stream.write('-ERR not here\r\n');
        }
      }
    };
    const handOff = (tag: string, name: string, mechanism: string): void => {
      stream.off('data', onData);
      stream.pause();
      const session: AuthenticatedSession = {
        sessionId,
        protocol: options.protocol,
        user: options.user(name),
        mechanism,
        loginTag: tag,
        capabilityRequested: false,
        pipelined: buffer,
        remote,
        local,
        secured,
        trusted: true,
        hops: 0,
      };
      options.backend.start(session, connection).then(
        () => {
          started++;
          settled();
        },
        (e: Error) => {
          failures.push(e);
          if (!stream.destroyed) stream.end(imap ? `${tag} NO [UNAVAILABLE] ${e.message}\r\n` : `-ERR [SYS/TEMP] ${e.message}\r\n`, () => stream.destroy());
          settled();
        },
      );
    };
    stream.on('data', onData);
  };

  let server: Server;
  if (options.tls) {
    server = createTlsServer({ key: options.tls.key, cert: options.tls.cert }, (s: TLSSocket) => handle(s, s, true));
  } else {
    server = createServer((s) => handle(s, s, false));
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    get started() {
      return started;
    },
    failures,
    nextStart: () => new Promise<void>((r) => waiters.push(r)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
