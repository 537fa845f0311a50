/**
 * Dovecot 2.3's login hand-off request and reply, byte for byte as imap-login/pop3-login send them
 * (src/lib-master/master-auth.h `struct master_auth_request` / `struct master_auth_reply`, written by
 * `master_auth_request_full()` in src/lib-master/master-auth.c; read by `master_login_add()` in
 * src/lib-master/master-login.c). A raw C struct in host byte order; offsets checked with offsetof on
 * x86_64/LP64 (docs: /work/shared/docs/dovecot-login-handoff.md §2.1). Dovecot 2.4's
 * `struct login_request` (src/lib-login/login-interface.h) has the same layout.
 */
import { endianness } from 'node:os';
import { BackendError } from '@pigeondeliver/core';
import { parseIpAddress } from './ip-address.js';

/** sizeof(struct master_auth_request) on LP64. */
export const MASTER_AUTH_REQUEST_SIZE = 96;
/** MASTER_AUTH_MAX_DATA_SIZE: the receiver refuses a larger `data_size`. */
export const MASTER_AUTH_MAX_DATA_SIZE = 1024 + 128 + 64 + 2;
/** sizeof(struct master_auth_reply). */
export const MASTER_AUTH_REPLY_SIZE = 12;
/** MASTER_AUTH_COOKIE_SIZE. */
export const MASTER_AUTH_COOKIE_SIZE = 16;

/** `enum mail_auth_request_flags`. */
export const LoginRequestFlag = {
  TLS_COMPRESSION: 0x01,
  CONN_SECURED: 0x02,
  CONN_SSL_SECURED: 0x04,
  IMPLICIT: 0x08,
} as const;

/** `enum master_auth_status`. */
export const LoginReplyStatus = { OK: 0, INTERNAL_ERROR: 1 } as const;

/** The fields of one request. */
export interface LoginRequest {
  /** Echoed in the reply; non-zero. */
  readonly tag: number;
  /** Must equal the SPID our auth-master announced. */
  readonly authPid: number;
  /** The hand-off id: key of our pending table, sent back in REQUEST. */
  readonly authId: number;
  /** The "login process" pid, sent back in REQUEST. */
  readonly clientPid: number;
  readonly cookie: Buffer;
  readonly localIp?: string;
  readonly localPort?: number;
  readonly remoteIp?: string;
  readonly remotePort?: number;
  readonly flags: number;
  /** fstat(client fd).st_ino: the receiver checks the descriptor it got against it. */
  readonly ino: bigint;
  /** session id NUL protocol data. */
  readonly data: Buffer;
}

/** The decoded reply. */
export interface LoginReply {
  readonly tag: number;
  readonly status: number;
  readonly mailPid: number;
}

const LE = endianness() === 'LE';

function u32(buf: Buffer, value: number, off: number): void {
  if (LE) buf.writeUInt32LE(value >>> 0, off);
  else buf.writeUInt32BE(value >>> 0, off);
}

function u16(buf: Buffer, value: number, off: number): void {
  if (LE) buf.writeUInt16LE(value, off);
  else buf.writeUInt16BE(value, off);
}

function ipAddr(buf: Buffer, address: string | undefined, off: number): void {
  const ip = parseIpAddress(address);
  u16(buf, ip.family, off);
  ip.bytes.copy(buf, off + 4);
}

/** Encodes struct + data, to be sent in one sendmsg() with the client descriptor. */
export function encodeLoginRequest(r: LoginRequest): Buffer {
  if (r.cookie.length !== MASTER_AUTH_COOKIE_SIZE) throw new BackendError(`hand-off cookie must be ${MASTER_AUTH_COOKIE_SIZE} bytes`);
  if (r.data.length > MASTER_AUTH_MAX_DATA_SIZE) {
    throw new BackendError(`hand-off data is ${r.data.length} bytes, Dovecot accepts at most ${MASTER_AUTH_MAX_DATA_SIZE} (too much pipelined input)`);
  }
  if (r.tag === 0) throw new BackendError('hand-off tag must be non-zero');
  const buf = Buffer.alloc(MASTER_AUTH_REQUEST_SIZE + r.data.length);
  u32(buf, r.tag, 0);
  u32(buf, r.authPid, 4);
  u32(buf, r.authId, 8);
  u32(buf, r.clientPid, 12);
  r.cookie.copy(buf, 16);
  ipAddr(buf, r.localIp, 32);
  ipAddr(buf, r.remoteIp, 52);
  u16(buf, r.localPort ?? 0, 72);
  u16(buf, r.remotePort ?? 0, 74);
  u32(buf, r.flags, 76);
  u32(buf, r.data.length, 80);
  if (LE) buf.writeBigUInt64LE(r.ino, 88);
  else buf.writeBigUInt64BE(r.ino, 88);
  r.data.copy(buf, MASTER_AUTH_REQUEST_SIZE);
  return buf;
}

/** Decodes a 12-byte reply. */
export function decodeLoginReply(buf: Buffer): LoginReply {
  if (buf.length !== MASTER_AUTH_REPLY_SIZE) throw new BackendError(`Dovecot's hand-off reply is ${buf.length} bytes, expected ${MASTER_AUTH_REPLY_SIZE}`);
  return LE
    ? { tag: buf.readUInt32LE(0), status: buf.readUInt32LE(4), mailPid: buf.readInt32LE(8) }
    : { tag: buf.readUInt32BE(0), status: buf.readUInt32BE(4), mailPid: buf.readInt32BE(8) };
}

/** A session id Dovecot can carry (it is NUL-terminated and logged): printable ASCII, else none. */
function sessionIdBytes(sessionId: string): Buffer {
  return Buffer.from(/^[\x21-\x7e]{1,128}$/.test(sessionId) ? `${sessionId}\0` : '\0', 'latin1');
}

/**
 * IMAP data: session id NUL, `'1'` if the client asked for CAPABILITY before logging in (imap then
 * sends it untagged first) else `'0'`, the login command's tag, NUL, the pipelined client bytes
 * (imap-login's `imap_client_auth_begin()`, parsed by src/imap/main.c
 * `client_parse_imap_login_request()`; RFC 3501 §6.2.3 tagged OK to LOGIN).
 */
export function imapRequestData(sessionId: string, tag: string, capabilityRequested: boolean, pipelined: Buffer): Buffer {
  return Buffer.concat([sessionIdBytes(sessionId), Buffer.from(`${capabilityRequested ? '1' : '0'}${tag}\0`, 'latin1'), pipelined]);
}

/** POP3 data: session id NUL, then the pipelined client bytes (pop3 sends `+OK Logged in.` itself). */
export function pop3RequestData(sessionId: string, pipelined: Buffer): Buffer {
  return Buffer.concat([sessionIdBytes(sessionId), pipelined]);
}
