/**
 * Our auth-master socket: Dovecot's imap/pop3 processes (started as `imap -a <this path>`) connect to
 * it once, while still root, and ask it about every login handed to them. It answers USER only for a
 * hand-off this process just made (docs/dovecot-login-handoff.md §3): entry known and unused, not
 * expired, cookie equal (constant time), REQUEST's client_pid = the pid that made the hand-off, and
 * its session_pid = the SO_PEERCRED pid of the connection. Anything else gets FAIL (the client then
 * sees Dovecot's `NO [UNAVAILABLE]` / `-ERR [SYS/TEMP]`) and a log line saying why.
 */
import { chmodSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { ConfigError, type Logger } from '@pigeondeliver/core';
import {
  AUTH_MASTER_VERSION,
  failLine,
  handshakeLines,
  MAX_AUTH_MASTER_LINE,
  parseAuthMasterLine,
  userLine,
  type AuthMasterRequest,
} from './auth-master-protocol.js';
import { fdPassAddon, socketDescriptor, type PeerCredentials } from './native.js';
import type { HandoffEntry, PendingHandoffs } from './pending-handoffs.js';

/** What the client is told when we refuse (details only go to our log). */
export const REFUSED_REASON = 'hand-off refused';

/** Settings of {@link AuthMasterServer}. */
export interface AuthMasterSettings {
  /** Socket path (outside Dovecot's base_dir). */
  readonly path: string;
  readonly pending: PendingHandoffs;
  readonly log: Logger;
  /** Peer credentials of an accepted connection; default SO_PEERCRED through the addon. */
  readonly credentials?: (socket: Socket) => PeerCredentials | undefined;
  /** Called after every answered REQUEST (tests, self-test). */
  readonly onAnswer?: (answer: AuthMasterAnswer) => void;
  /**
   * How long a REQUEST for an id nobody registered yet waits for its registration before it is
   * refused as unknown (workers that send descriptors themselves, decision 0007 §5); 0: no wait.
   */
  readonly registrationWaitMs?: number;
}

/** One answered REQUEST. */
export interface AuthMasterAnswer {
  readonly request: AuthMasterRequest;
  readonly peerPid?: number;
  readonly result: 'user' | 'fail';
  readonly reason?: string;
  readonly entry?: HandoffEntry;
}

function defaultCredentials(socket: Socket): PeerCredentials | undefined {
  return fdPassAddon().peerCredentials(socketDescriptor(socket));
}

/** Serves the auth-master protocol on a Unix socket of mode 0600. */
export class AuthMasterServer {
  private server?: Server;
  private readonly connections = new Set<Socket>();
  private readonly credentials: (socket: Socket) => PeerCredentials | undefined;

  constructor(private readonly settings: AuthMasterSettings) {
    this.credentials = settings.credentials ?? defaultCredentials;
  }

  /** The pid announced as SPID (requests must carry it as auth_pid). */
  get pid(): number {
    return process.pid;
  }

  /** Number of connected imap/pop3 processes. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Listens; a stale socket left by a previous run is removed, a live one is an error. */
  async listen(): Promise<void> {
    const { path } = this.settings;
    await removeStaleSocket(path);
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new ConfigError(`cannot listen on the Dovecot auth-master socket ${path}: ${e.message}`, 'dovecot_handoff_auth_socket')));
      server.listen(path, () => resolve());
    });
    // Dovecot's own auth-master is 0600: only root (imap/pop3 connect before dropping privileges).
    chmodSync(path, 0o600);
    this.server = server;
    this.settings.log.info({ path }, 'dovecot auth-master socket listening');
  }

  /** Stops listening and closes every connection (the imap/pop3 processes then retire). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const c of this.connections) c.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    let peer: PeerCredentials | undefined;
    try {
      peer = this.credentials(socket);
    } catch (e) {
      this.settings.log.warn({ reason: (e as Error).message }, 'auth-master: cannot read the peer credentials; requests will be refused');
    }
    const log = this.settings.log.child({ peerPid: peer?.pid, peerUid: peer?.uid });
    this.connections.add(socket);
    socket.once('close', () => this.connections.delete(socket));
    socket.on('error', (e) => log.debug({ reason: e.message }, 'auth-master connection error'));
    socket.setEncoding('latin1');
    socket.write(handshakeLines(this.pid));
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!this.line(socket, line, peer, log)) return;
      }
      if (buffered.length > MAX_AUTH_MASTER_LINE) {
        log.warn({ bytes: buffered.length }, 'auth-master: line too long, closing');
        socket.destroy();
      }
    });
  }

  /** Handles one line; false when the connection was closed. */
  private line(socket: Socket, line: string, peer: PeerCredentials | undefined, log: Logger): boolean {
    const parsed = parseAuthMasterLine(line);
    switch (parsed.kind) {
      case 'version':
        if (parsed.major !== AUTH_MASTER_VERSION.major) {
          log.error({ version: `${parsed.major}.${parsed.minor}` }, 'auth-master: the imap/pop3 process speaks another protocol major version; closing');
          socket.destroy();
          return false;
        }
        return true;
      case 'invalid':
        log.warn({ reason: parsed.reason }, 'auth-master: malformed line, closing');
        socket.destroy();
        return false;
      case 'other':
        log.debug({ command: parsed.command }, 'auth-master: command not served, ignored');
        return true;
      case 'request': {
        const request = parsed.request;
        const wait = this.settings.registrationWaitMs ?? 0;
        if (wait > 0 && this.settings.pending.isUnknown(request.authId)) {
          // A worker's registration may still be on its way (decision 0007 §5); answers carry the
          // request id, so answering this one later than the next is fine.
          void this.settings.pending.whenRegistered(request.authId, wait).then(() => {
            if (!socket.destroyed) socket.write(this.answer(request, peer, log));
          });
        } else socket.write(this.answer(request, peer, log));
        return true;
      }
    }
  }

  private answer(request: AuthMasterRequest, peer: PeerCredentials | undefined, log: Logger): string {
    const fail = (reason: string, entry?: HandoffEntry): string => {
      log.warn({ authId: request.authId, clientPid: request.clientPid, sessionPid: request.sessionPid, session: entry?.sessionId, user: entry?.user, reason }, 'auth-master: hand-off refused');
      this.settings.onAnswer?.({ request, peerPid: peer?.pid, result: 'fail', reason, entry });
      return failLine(request.id, REFUSED_REASON);
    };
    const taken = this.settings.pending.take(request.authId, request.cookieHex, request.clientPid);
    if (!taken.ok) return fail(`${taken.reason} hand-off`, taken.entry);
    const { entry } = taken;
    if (!peer) return fail('peer credentials unavailable', entry);
    if (request.sessionPid === undefined || request.sessionPid !== peer.pid) {
      return fail(`session_pid ${String(request.sessionPid)} is not the connected process ${peer.pid}`, entry);
    }
    if (entry.selfTest) {
      // Every check passed; refuse on purpose so that no process takes a uid for a test.
      this.settings.onAnswer?.({ request, peerPid: peer.pid, result: 'fail', reason: 'self-test', entry });
      return failLine(request.id, 'self-test');
    }
    log.debug({ authId: request.authId, session: entry.sessionId, user: entry.user, sessionPid: peer.pid }, 'auth-master: hand-off accepted');
    this.settings.onAnswer?.({ request, peerPid: peer.pid, result: 'user', entry });
    return userLine(request.id, entry.user, entry.fields);
  }
}

/** Removes `path` if it is a socket nobody listens on; throws ConfigError if one does. */
async function removeStaleSocket(path: string): Promise<void> {
  if (!existsSync(path)) return;
  if (!lstatSync(path).isSocket()) throw new ConfigError(`${path} exists and is not a socket`, 'dovecot_handoff_auth_socket');
  const live = await new Promise<boolean>((resolve) => {
    const c = createConnection(path);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
  if (live) throw new ConfigError(`another process already serves the Dovecot auth-master socket ${path}`, 'dovecot_handoff_auth_socket');
  unlinkSync(path);
}
