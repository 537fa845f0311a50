/**
 * Handoff mode in a multi-process front end (pd-forker-listen, decision 0007 §4): the unprivileged
 * worker that ran the login does not hand the session off itself. It sends the client socket (or,
 * for TLS sessions it terminates, its end of a socket pair it relays) with the session fields Dovecot's
 * USER answer and the login request need to a privileged process that hosts the single
 * {@link DovecotHandoff} (auth-master + pending table), through a launcher that implements
 * {@link HandoffDelegate}. That process calls `DovecotBackend.startDelegated` with the payload.
 */
import type { Socket } from 'node:net';
import {
  BackendError,
  createSocketPair,
  detachSocketReader,
  reattachSocketReader,
  relayAfterFirstChunk,
  type AuthenticatedSession,
  type ClientConnection,
  type Endpoint,
  type UserRecord,
} from '@pigeondeliver/core';
import type { HandoffOutcome } from './dovecot-handoff.js';

/** JSON-safe values the delegate carries. */
export type DelegatedPayload = Readonly<Record<string, unknown>>;

/**
 * A session launcher that can pass a backend's privileged work, with a socket, to the process that
 * hosts it (pd-forker-listen's IPC launcher). Resolves with that process's JSON answer.
 */
export interface HandoffDelegate {
  delegate(backend: string, payload: DelegatedPayload, socket: Socket): Promise<DelegatedPayload>;
}

/** True when `launcher` can delegate (duck-typed: the launcher is injected as ISessionLauncher). */
export function isHandoffDelegate(launcher: unknown): launcher is HandoffDelegate {
  return typeof launcher === 'object' && launcher !== null && typeof (launcher as Partial<HandoffDelegate>).delegate === 'function';
}

/** What crosses the process boundary: the session fields the hand-off uses, nothing secret. */
export interface DelegatedHandoff {
  readonly sessionId: string;
  readonly protocol: 'imap' | 'pop3';
  readonly loginTag: string;
  readonly capabilityRequested: boolean;
  readonly trusted: boolean;
  /** The socket carries TLS-decrypted bytes relayed by the sender (CONN_SSL_SECURED). */
  readonly secured: boolean;
  /** Base64 of the pipelined client bytes. */
  readonly pipelined: string;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly user: DelegatedUser;
}

/** The user fields that cross the process boundary (USER answer, identity, pool). */
export interface DelegatedUser {
  readonly login: string;
  readonly uid: number | null;
  readonly gid: number | null;
  readonly home: string | null;
  readonly mail: string | null;
  readonly quotaBytes: number | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;
const isNullableInt = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isSafeInteger(v));
const isNullableStr = (v: unknown): v is string | null => v === null || isStr(v);
const isEndpoint = (v: unknown): v is Endpoint => isObj(v) && isStr(v.address, 64) && typeof v.port === 'number' && Number.isInteger(v.port) && v.port >= 0 && v.port <= 65535;

function delegatedUser(u: UserRecord): DelegatedUser {
  return { login: u.login, uid: u.uid, gid: u.gid, home: u.home, mail: u.mail, quotaBytes: u.quotaBytes ?? null };
}

function isDelegatedUser(u: unknown): u is DelegatedUser {
  return (
    isObj(u) &&
    isStr(u.login, 1024) &&
    isNullableInt(u.uid) &&
    isNullableInt(u.gid) &&
    isNullableStr(u.home) &&
    isNullableStr(u.mail) &&
    isNullableInt(u.quotaBytes)
  );
}

function userRecordOf(u: DelegatedUser): UserRecord {
  return { login: u.login, uid: u.uid, gid: u.gid, home: u.home, mail: u.mail, quotaBytes: u.quotaBytes } as unknown as UserRecord;
}

/** Builds the payload of `session` (the pipelined bytes given separately: the sender may have read more). */
export function encodeDelegatedHandoff(session: AuthenticatedSession, pipelined: Buffer, secured: boolean): DelegatedHandoff {
  if (session.protocol !== 'imap' && session.protocol !== 'pop3') throw new BackendError(`unsupported protocol ${String(session.protocol)}`);
  return {
    sessionId: session.sessionId,
    protocol: session.protocol,
    loginTag: session.loginTag,
    capabilityRequested: session.capabilityRequested,
    trusted: session.trusted,
    secured,
    pipelined: pipelined.toString('base64'),
    local: { address: session.local.address, port: session.local.port },
    remote: { address: session.remote.address, port: session.remote.port },
    user: delegatedUser(session.user),
  };
}

/**
 * Checks a payload received from a (less trusted) worker and rebuilds the session the hand-off reads.
 * Throws BackendError on any malformed field.
 */
export function decodeDelegatedHandoff(p: unknown): { session: AuthenticatedSession; secured: boolean } {
  if (!isObj(p) || !isDelegatedUser(p.user)) throw new BackendError('malformed delegated hand-off');
  const ok =
    isStr(p.sessionId, 128) &&
    (p.protocol === 'imap' || p.protocol === 'pop3') &&
    isStr(p.loginTag, 256) &&
    typeof p.capabilityRequested === 'boolean' &&
    typeof p.trusted === 'boolean' &&
    typeof p.secured === 'boolean' &&
    isStr(p.pipelined, 1 << 20) &&
    isEndpoint(p.local) &&
    isEndpoint(p.remote);
  if (!ok) throw new BackendError('malformed delegated hand-off');
  const user = userRecordOf(p.user);
  const session: AuthenticatedSession = {
    sessionId: p.sessionId as string,
    protocol: p.protocol as 'imap' | 'pop3',
    user,
    mechanism: 'delegated',
    loginTag: p.loginTag as string,
    capabilityRequested: p.capabilityRequested as boolean,
    pipelined: Buffer.from(p.pipelined as string, 'base64'),
    remote: p.remote as Endpoint,
    local: p.local as Endpoint,
    secured: p.secured as boolean,
    trusted: p.trusted as boolean,
    hops: 0,
  };
  return { session, secured: p.secured as boolean };
}

/**
 * What a worker that sends the descriptor itself registers with the process hosting the
 * auth-master before the send (decision 0007 §5): the id and cookie it puts in the login request,
 * and the user fields USER answers with. Nothing secret: the cookie is single-use and only good for
 * a request from the registering worker's pid.
 */
export interface HandoffRegistration {
  readonly authId: number;
  /** 32 hex digits. */
  readonly cookie: string;
  readonly sessionId: string;
  readonly protocol: 'imap' | 'pop3';
  readonly user: DelegatedUser;
}

/** Builds a registration for `session` with the id and cookie the worker chose. */
export function encodeHandoffRegistration(session: AuthenticatedSession, authId: number, cookie: Buffer): HandoffRegistration {
  if (session.protocol !== 'imap' && session.protocol !== 'pop3') throw new BackendError(`unsupported protocol ${String(session.protocol)}`);
  return { authId, cookie: cookie.toString('hex'), sessionId: session.sessionId, protocol: session.protocol, user: delegatedUser(session.user) };
}

/** Checks a registration received from a (less trusted) worker. Throws BackendError on any malformed field. */
export function decodeHandoffRegistration(p: unknown): { authId: number; cookie: Buffer; sessionId: string; protocol: 'imap' | 'pop3'; user: UserRecord } {
  const ok =
    isObj(p) &&
    typeof p.authId === 'number' &&
    Number.isInteger(p.authId) &&
    p.authId > 0 &&
    p.authId <= 0x7fffffff &&
    typeof p.cookie === 'string' &&
    /^[0-9a-f]{32}$/.test(p.cookie) &&
    isStr(p.sessionId, 128) &&
    (p.protocol === 'imap' || p.protocol === 'pop3') &&
    isDelegatedUser(p.user);
  if (!ok) throw new BackendError('malformed hand-off registration');
  return { authId: p.authId as number, cookie: Buffer.from(p.cookie as string, 'hex'), sessionId: p.sessionId as string, protocol: p.protocol as 'imap' | 'pop3', user: userRecordOf(p.user as DelegatedUser) };
}

/**
 * A launcher that can also send a registration to the process hosting the auth-master, without a
 * socket and without waiting (pd-forker-listen's IPC launcher).
 */
export interface HandoffRegistrar {
  registerHandoff(backend: string, registration: HandoffRegistration): boolean;
}

/** True when `launcher` can register hand-offs (duck-typed, like {@link isHandoffDelegate}). */
export function isHandoffRegistrar(launcher: unknown): launcher is HandoffRegistrar {
  return typeof launcher === 'object' && launcher !== null && typeof (launcher as Partial<HandoffRegistrar>).registerHandoff === 'function';
}

/** The delegate's answer: handed off, or the sender must exec the session itself. */
function outcomeOf(reply: DelegatedPayload): 'socket' | 'exec' {
  if (reply.outcome === 'socket' || reply.outcome === 'exec') return reply.outcome;
  throw new BackendError(isStr(reply.error) ? reply.error : 'the privileged process did not hand the session off');
}

/**
 * The sender's side: passes the raw client socket, or relays a TLS session through a socket pair
 * whose other end is passed. Resolves 'exec' when the session must be exec'd instead (nothing consumed).
 */
export async function delegateHandoff(
  delegate: HandoffDelegate,
  backend: string,
  session: AuthenticatedSession,
  connection: ClientConnection,
  timeoutMs: number,
  onReply?: (reply: DelegatedPayload) => void,
): Promise<HandoffOutcome> {
  const socket = connection.socket;
  if (socket && !connection.secured) {
    if (socket.destroyed) throw new BackendError('the client connection closed before the hand-off');
    const buffered = detachSocketReader(socket);
    const restore = () => {
      if (socket.destroyed) return;
      if (buffered.length > 0) socket.unshift(buffered);
      reattachSocketReader(socket);
    };
    const pipelined = buffered.length > 0 ? Buffer.concat([session.pipelined, buffered]) : session.pipelined;
    let outcome: 'socket' | 'exec';
    try {
      const reply = await delegate.delegate(backend, { ...encodeDelegatedHandoff(session, pipelined, false) }, socket);
      onReply?.(reply);
      outcome = outcomeOf(reply);
    } catch (e) {
      restore();
      throw e instanceof BackendError ? e : new BackendError(`cannot reach the privileged process for the hand-off: ${(e as Error).message}`, { cause: e });
    }
    if (outcome === 'exec') {
      restore();
      return 'exec';
    }
    socket.destroy();
    return 'socket';
  }
  const deadline = Date.now() + timeoutMs;
  const pair = await createSocketPair();
  try {
    const reply = await delegate.delegate(backend, { ...encodeDelegatedHandoff(session, session.pipelined, connection.secured) }, pair.theirs);
    onReply?.(reply);
    const outcome = outcomeOf(reply);
    pair.theirs.destroy();
    if (outcome === 'exec') {
      pair.ours.destroy();
      return 'exec';
    }
    await relayAfterFirstChunk(connection.stream, pair.ours, { deadline, onClosed: (reason) => connection.log.debug({ reason }, 'relay to dovecot closed') });
    return 'relay';
  } catch (e) {
    pair.ours.destroy();
    pair.theirs.destroy();
    throw e instanceof BackendError ? e : new BackendError(`relay to Dovecot failed: ${(e as Error).message}`, { cause: e });
  }
}
