/**
 * The part of Dovecot's auth-master protocol that imap/pop3 speak to look up a handed-off login
 * (src/lib-master/master-login-auth.c in 2.3, src/lib-login/login-server-auth.c in 2.4): TAB-separated
 * lines, values escaped as in src/lib/strescape.c (`\001` -> `\0011`, TAB -> `\001t`, LF -> `\001n`,
 * CR -> `\001r`).
 */

/** AUTH_MASTER_PROTOCOL_MAJOR_VERSION / MINOR (only the major version is compared). */
export const AUTH_MASTER_VERSION = { major: 1, minor: 1 } as const;

/** Longest line we accept from an imap/pop3 process (a REQUEST is about 100 bytes). */
export const MAX_AUTH_MASTER_LINE = 8192;

/** str_tabescape(). */
export function tabEscape(value: string): string {
  // eslint-disable-next-line no-control-regex -- \x01 is the escape character of the protocol
  return value.replace(/[\x01\t\n\r]/g, (c) => ({ '\x01': '\x011', '\t': '\x01t', '\n': '\x01n', '\r': '\x01r' })[c]!);
}

/** str_tabunescape(). */
export function tabUnescape(value: string): string {
  // eslint-disable-next-line no-control-regex -- \x01 is the escape character of the protocol
  return value.replace(/\x01(.)/g, (_m, c: string) => ({ '1': '\x01', t: '\t', n: '\n', r: '\r' })[c] ?? c);
}

/** A `REQUEST` line from an imap/pop3 process. */
export interface AuthMasterRequest {
  /** The process's own request id, echoed in our answer. */
  readonly id: number;
  readonly clientPid: number;
  readonly authId: number;
  /** 32 hex characters. */
  readonly cookieHex: string;
  /** `session_pid=` (the imap/pop3 process's pid), if sent. */
  readonly sessionPid?: number;
}

/** A parsed line: the handshake, a request, or something we do not serve. */
export type AuthMasterLine =
  | { readonly kind: 'version'; readonly major: number; readonly minor: number }
  | { readonly kind: 'request'; readonly request: AuthMasterRequest }
  | { readonly kind: 'other'; readonly command: string }
  | { readonly kind: 'invalid'; readonly reason: string };

function uint(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 0xffffffff ? n : undefined;
}

/** Parses one line (without its LF). */
export function parseAuthMasterLine(line: string): AuthMasterLine {
  const args = line.split('\t');
  const command = args[0] ?? '';
  if (command === 'VERSION') {
    const major = uint(args[1]);
    const minor = uint(args[2]);
    if (major === undefined || minor === undefined) return { kind: 'invalid', reason: 'malformed VERSION' };
    return { kind: 'version', major, minor };
  }
  if (command !== 'REQUEST') return { kind: 'other', command: command.slice(0, 32) };
  const id = uint(args[1]);
  const clientPid = uint(args[2]);
  const authId = uint(args[3]);
  const cookieHex = args[4] ?? '';
  if (id === undefined || clientPid === undefined || authId === undefined) return { kind: 'invalid', reason: 'malformed REQUEST' };
  if (!/^[0-9a-fA-F]{32}$/.test(cookieHex)) return { kind: 'invalid', reason: 'malformed REQUEST cookie' };
  let sessionPid: number | undefined;
  for (const param of args.slice(5)) {
    if (param.startsWith('session_pid=')) sessionPid = uint(param.slice('session_pid='.length));
  }
  return { kind: 'request', request: { id, clientPid, authId, cookieHex: cookieHex.toLowerCase(), sessionPid } };
}

/** Our handshake: `VERSION 1 1` and `SPID <pid>` (master-login-auth.c waits for SPID). */
export function handshakeLines(serverPid: number): string {
  return `VERSION\t${AUTH_MASTER_VERSION.major}\t${AUTH_MASTER_VERSION.minor}\nSPID\t${serverPid}\n`;
}

/** `USER <id> <user> key=value...`: the userdb fields imap/pop3 run the session with. */
export function userLine(id: number, user: string, fields: readonly (readonly [string, string])[]): string {
  const parts = [`USER`, String(id), tabEscape(user), ...fields.map(([k, v]) => tabEscape(`${k}=${v}`))];
  return `${parts.join('\t')}\n`;
}

/** `FAIL <id> reason=<text>`: the reason is shown to the client (`NO [UNAVAILABLE] <reason>`). */
export function failLine(id: number, reason: string): string {
  return `FAIL\t${id}\t${tabEscape(`reason=${reason}`)}\n`;
}
