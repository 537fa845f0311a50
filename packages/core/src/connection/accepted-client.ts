/**
 * Serving one accepted socket through the login service, for forkers whose one process serves several
 * clients (inetd wait mode, the Postfix resident model): wrap it, do implicit TLS or release it to the
 * protocol, refuse it politely when the process is stopping, run the login service, and say when the
 * client is finished (the handler returned and our copy of the socket is closed: handed off or gone).
 */
import type { Socket } from 'node:net';
import { RejectReason } from '../contracts/login-service.js';
import type { ILoginService } from '../contracts/login-service.js';
import type { GreetingSent } from '../contracts/greeter.js';
import type { ConnectionFactory } from './connection-factory.js';
import { formatEndpoint } from './endpoints.js';
import type { SocketConnection } from './socket-connection.js';
import { releaseToProtocol } from './socket-reading.js';

/** The state of one accepted client, as its forker tracks it. */
export interface AcceptedClient {
  readonly socket: Socket;
  /** The connection, once wrapped. */
  conn?: SocketConnection;
  /** Still before login (the login service has not handed it over yet). */
  preLogin: boolean;
  /** The login service returned. */
  handled: boolean;
  /** Our copy of the socket is closed. */
  closed: boolean;
}

/** What serving needs. */
export interface AcceptedClientDeps {
  readonly factory: ConnectionFactory;
  readonly loginService: ILoginService;
  /** The listener speaks implicit TLS (993/995). */
  readonly implicitTls: boolean;
  /** True when new clients must be told goodbye (the process is stopping). */
  readonly refuseNew: () => boolean;
}

/**
 * Starts serving `socket`; returns its tracking record at once. `onFinished` is called exactly once,
 * when the login service returned and the socket is closed. `greeted`: the forker already wrote the
 * service's greeting on this plaintext socket (docs/architecture.md "Greeting first").
 */
export function serveAcceptedSocket(
  socket: Socket,
  deps: AcceptedClientDeps,
  onFinished: (client: AcceptedClient) => void,
  greeted?: GreetingSent,
): AcceptedClient {
  const client: AcceptedClient = { socket, preLogin: true, handled: false, closed: false };
  let reported = false;
  const maybeFinished = (): void => {
    if (reported || !client.handled || !client.closed) return;
    reported = true;
    onFinished(client);
  };
  socket.on('error', () => undefined);
  socket.once('close', () => {
    client.closed = true;
    maybeFinished();
  });
  void serve(client, deps, greeted).finally(() => {
    client.handled = true;
    client.preLogin = false;
    maybeFinished();
  });
  return client;
}

async function serve(client: AcceptedClient, deps: AcceptedClientDeps, greeted: GreetingSent | undefined): Promise<void> {
  const conn = deps.factory.fromSocket(client.socket);
  client.conn = conn;
  conn.log.info({ local: formatEndpoint(conn.local), trusted: conn.trusted || undefined, greetedEarly: greeted !== undefined || undefined }, 'connect');
  try {
    if (deps.implicitTls) {
      try {
        await conn.startImplicitTls();
      } catch (e) {
        conn.log.info({ reason: (e as Error).message }, 'TLS handshake failed');
        conn.close();
        return;
      }
    } else {
      releaseToProtocol(client.socket);
    }
    if (deps.refuseNew()) {
      deps.loginService.reject(conn, RejectReason.ServerShuttingDown);
      return;
    }
    await deps.loginService.handle(conn, greeted);
  } catch (e) {
    conn.log.error({ err: (e as Error).message, stack: (e as Error).stack }, 'connection handler failed');
    conn.close();
  }
}
