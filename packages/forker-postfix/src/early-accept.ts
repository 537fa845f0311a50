/**
 * Greeting first for the `single` model (docs/architecture.md "Greeting first"; issue: nothing the
 * greeting does not need is loaded before it). The master starts a `single` process for a connection
 * that is waiting, so the process takes that client on the inherited listen sockets before the
 * application is loaded and closes its listen sockets (it serves no other client; master keeps its
 * own copies). Then the caller writes the greeting and loads the application while the client reads
 * it. Nothing is reported to master here: the first TAKEN counts a use, and a process that fails to
 * load its application must exit before any, so that master throttles the service as for any startup
 * error (forker-protocols.md §1.7); PostfixChild reports TAKEN, AVAIL, TAKEN once it runs.
 * Meanwhile master still counts this process as available: a second client waits for that report
 * (a fraction of a second) before master starts the next process, and maxproc is honoured.
 *
 * No client byte is read here (the socket stays paused), so this may run before the effective uid is
 * dropped. The wait ends without a client after `maxIdleMs` (0: never) or when master closes the
 * status channel (postfix reload): the caller then exits 0, as an idle child does.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { MasterStatusChannel } from './master-status.js';

/** Where and how long to wait. */
export interface EarlyAcceptSettings {
  readonly firstFd: number;
  readonly count: number;
  /** listen(2) backlog re-applied to each socket (Node ignores options.backlog with fd, §1.9). */
  readonly backlog: number;
  readonly maxIdleMs: number;
}

/** Resolves with the first client, or undefined when the wait ended without one (see the file comment). */
export function acceptFirstClient(settings: EarlyAcceptSettings, status: MasterStatusChannel): Promise<Socket | undefined> {
  return new Promise((resolve, reject) => {
    const servers: Server[] = [];
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (socket: Socket | undefined, error?: Error): void => {
      if (done) {
        socket?.destroy();
        return;
      }
      done = true;
      if (timer) clearTimeout(timer);
      for (const s of servers) if (s.listening) s.close();
      if (error) reject(error);
      else resolve(socket);
    };
    for (let fd = settings.firstFd; fd < settings.firstFd + settings.count; fd++) {
      const server = createServer({ pauseOnConnect: true }, (socket) => {
        if (done) return void socket.destroy();
        finish(socket);
      });
      servers.push(server);
      server.once('error', (e) => finish(undefined, new Error(`cannot listen on descriptor ${fd} from the Postfix master: ${e.message}`)));
      server.listen({ fd }, settings.backlog);
    }
    if (settings.maxIdleMs > 0) timer = setTimeout(() => finish(undefined), settings.maxIdleMs);
    status.watchEnd(() => finish(undefined));
  });
}
