import type { ClientConnection } from './connection.js';

/** Called by a forker for every accepted connection. */
export type ConnectionHandler = (connection: ClientConnection) => Promise<void>;

/**
 * Owns how connections arrive: a daemon's listeners, inetd's descriptors, the Postfix master's
 * protocol, stdin/stdout. It wraps each into a {@link ClientConnection} and calls the handler.
 */
export interface IForker {
  run(handler: ConnectionHandler): Promise<void>;
}
