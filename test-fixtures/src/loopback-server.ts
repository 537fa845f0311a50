/**
 * A TCP (or TLS) server on 127.0.0.1 with an ephemeral port, ready when the promise resolves: tests
 * never guess a port and never sleep waiting for `listening`.
 */
import { createServer as createNetServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';

/** A listening loopback server. */
export interface LoopbackServer {
  readonly server: Server;
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** The port the OS picked. */
  readonly port: number;
  /** Sockets accepted and not yet closed. */
  readonly connections: ReadonlySet<Socket>;
  /** Opens a plain TCP connection to the server; resolves once connected. */
  connect(): Promise<Socket>;
  /** Stops listening, destroys open connections, resolves when the server is closed (idempotent). */
  close(): Promise<void>;
}

/** Settings for {@link listenLoopback}. */
export interface LoopbackOptions {
  /** Serve TLS (implicit TLS) with these options; the handler gets TLS sockets after the handshake. */
  readonly tls?: TlsOptions;
  /** Accept connections paused (like the daemon's `pauseOnConnect`). */
  readonly pauseOnConnect?: boolean;
}

/** Listens on 127.0.0.1, port 0; `onConnection` is called for each accepted (or TLS-secured) socket. */
export function listenLoopback(onConnection: (socket: Socket) => void = () => undefined, options: LoopbackOptions = {}): Promise<LoopbackServer> {
  const connections = new Set<Socket>();
  const track = (socket: Socket): void => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  };
  let server: Server;
  if (options.tls) {
    const tlsServer = createTlsServer({ ...options.tls, pauseOnConnect: options.pauseOnConnect }, onConnection);
    tlsServer.on('connection', track); // the raw sockets, so close() can destroy them
    tlsServer.on('tlsClientError', () => undefined); // a failed handshake is the test's business, not an crash
    server = tlsServer;
  } else {
    server = createNetServer({ pauseOnConnect: options.pauseOnConnect ?? false }, (socket) => {
      track(socket);
      onConnection(socket);
    });
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      resolve({
        server,
        host: '127.0.0.1',
        port,
        connections,
        connect: () => connectLoopback(port),
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of connections) socket.destroy();
          });
          return closing;
        },
      });
    });
  });
}

/** Connects to 127.0.0.1:`port`; resolves with the socket once connected, rejects on error. */
export function connectLoopback(port: number): Promise<Socket> {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return Promise.reject(new Error(`connectLoopback: bad port ${port}`));
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
