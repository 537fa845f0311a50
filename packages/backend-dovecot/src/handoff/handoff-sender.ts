/**
 * The sending half of a hand-off, shared by the process that hosts the auth-master (DovecotHandoff)
 * and by a daemon worker that sends descriptors itself (DirectHandoff, decision 0007 §5): the login
 * request with the client descriptor (or the far end of a relay pair for TLS sessions) to a pool's
 * login socket, Dovecot's reply checked, our copy closed on success and the reader restored on
 * failure.
 */
import { fstatSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  BackendError,
  createSocketPair,
  detachSocketReader,
  reattachSocketReader,
  relayAfterFirstChunk,
  type AuthenticatedSession,
  type ClientConnection,
  type Logger,
} from '@pigeondeliver/core';
import type { HandoffPool } from './handoff-pools.js';
import { encodeLoginRequest, imapRequestData, LoginReplyStatus, LoginRequestFlag, pop3RequestData, type LoginReply } from './login-request.js';
import { sendLoginRequest } from './login-socket-client.js';
import { socketDescriptor } from './native.js';

/** What the login request names: the entry our auth-master (in whichever process) will be asked about. */
export interface SentEntry {
  readonly authId: number;
  readonly cookie: Buffer;
}

/** How a hand-off on a socket ended. */
export type SocketHandoffOutcome = 'socket';

/** See the file comment. */
export class HandoffSender {
  private nextTag = 1;

  constructor(
    /** The pid our auth-master announced as SPID (Dovecot checks the request's auth_pid against it). */
    private readonly authPid: () => number,
    /** Bound of one hand-off, ms. */
    private readonly timeoutMs: number,
    /** Called when an entry will never be looked up (the request could not be sent). */
    private readonly cancel: (authId: number) => void,
  ) {}

  /** Hands the raw client socket (or, when `secured`, the other end of our relay pair) off; our copy is closed. */
  async handOffSocket(session: AuthenticatedSession, log: Logger, socket: Socket, secured: boolean, pool: HandoffPool, entry: SentEntry): Promise<SocketHandoffOutcome> {
    if (socket.destroyed) throw new BackendError('the client connection closed before the hand-off');
    const buffered = detachSocketReader(socket);
    const pipelined = buffered.length > 0 ? Buffer.concat([session.pipelined, buffered]) : session.pipelined;
    let reply: LoginReply;
    try {
      reply = await this.send(session, pool, entry, socket, pipelined, secured);
    } catch (e) {
      this.cancel(entry.authId);
      if (!socket.destroyed) {
        if (buffered.length > 0) socket.unshift(buffered);
        reattachSocketReader(socket);
      }
      throw e;
    }
    // Our copy only (destroy closes our descriptor; end() would shut the shared socket down).
    socket.destroy();
    if (reply.status !== LoginReplyStatus.OK) {
      // Dovecot has already answered the client (NO [UNAVAILABLE] / -ERR [SYS/TEMP]) and closes it.
      log.warn({ backend: 'backend-dovecot', pool: pool.service, user: session.user.login, status: reply.status }, 'dovecot refused the hand-off and answered the client');
      return 'socket';
    }
    log.info({ backend: 'backend-dovecot', pool: pool.service, user: session.user.login, mailPid: reply.mailPid, via: secured ? 'handoff-relayed' : 'handoff' }, 'session handed to dovecot');
    return 'socket';
  }

  /** Hands a TLS session off through a socket pair whose other end goes to Dovecot; we relay. */
  async handOffRelay(session: AuthenticatedSession, connection: ClientConnection, client: Duplex, pipelined: Buffer, pool: HandoffPool, entry: SentEntry): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    const pair = await createSocketPair();
    try {
      const reply = await this.send(session, pool, entry, pair.theirs, pipelined, connection.secured);
      pair.theirs.destroy();
      if (reply.status !== LoginReplyStatus.OK) throw new BackendError(`Dovecot's ${pool.service} refused the hand-off (status ${reply.status}); see Dovecot's log`);
      await relayAfterFirstChunk(client, pair.ours, { deadline, onClosed: (reason) => connection.log.debug({ reason }, 'relay to dovecot closed') });
      connection.log.info({ backend: 'backend-dovecot', pool: pool.service, user: session.user.login, mailPid: reply.mailPid, via: 'handoff-relay' }, 'session handed to dovecot');
    } catch (e) {
      this.cancel(entry.authId);
      pair.ours.destroy();
      pair.theirs.destroy();
      throw e instanceof BackendError ? e : new BackendError(`relay to Dovecot failed: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Encodes and sends the login request for `entry` with `socket`'s descriptor. */
  send(session: AuthenticatedSession, pool: HandoffPool, entry: SentEntry, socket: Socket, pipelined: Buffer, secured: boolean): Promise<LoginReply> {
    const fd = socketDescriptor(socket);
    const data =
      session.protocol === 'imap'
        ? imapRequestData(session.sessionId, session.loginTag, session.capabilityRequested, pipelined)
        : pop3RequestData(session.sessionId, pipelined);
    let flags = 0;
    if (secured || session.trusted) flags |= LoginRequestFlag.CONN_SECURED;
    if (secured) flags |= LoginRequestFlag.CONN_SSL_SECURED;
    const request = encodeLoginRequest({
      tag: this.tag(),
      authPid: this.authPid(),
      authId: entry.authId,
      clientPid: process.pid,
      cookie: entry.cookie,
      localIp: session.local.address,
      localPort: session.local.port,
      remoteIp: session.remote.address,
      remotePort: session.remote.port,
      flags,
      ino: fstatSync(fd, { bigint: true }).ino,
      data,
    });
    return sendLoginRequest(pool.socketPath, request, fd, this.timeoutMs);
  }

  private tag(): number {
    const t = this.nextTag;
    this.nextTag = this.nextTag >= 0x7fffffff ? 1 : this.nextTag + 1;
    return t;
  }
}
