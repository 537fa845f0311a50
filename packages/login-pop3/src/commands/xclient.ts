/**
 * XCLIENT, in Dovecot's POP3 syntax (`XCLIENT ADDR=<ip> PORT=<port> SESSION=<id> TTL=<n>`, pop3-login
 * `cmd_xclient`): a trusted proxy in front of us names the real client, whose address is then used
 * for logs, the failure penalty and the backend. Only from trusted networks (and advertised in CAPA
 * only to them); to anyone else it is an unknown command. Unknown fields are ignored (Dovecot does,
 * so newer proxies keep working); a malformed known field refuses the whole command.
 */
import { isIP } from 'node:net';
import { Pop3State, type Pop3Session } from '../pop3-session.js';
import { TEXT, err, ok } from '../replies.js';
import { CommandOutcome, type Pop3Command } from './pop3-command.js';

/**
 * Dovecot's LOGIN_PROXY_TTL: the TTL a proxy starts with. A forwarded TTL of n means 5 - n hops
 * so far; the backend-proxy refuses to go on when the hops reach its limit (loop prevention).
 */
export const PROXY_TTL = 5;

/** Longest forwarded session id kept (Dovecot's LOGIN_MAX_SESSION_ID_LEN is 64; we are more lenient). */
const MAX_SESSION_ID = 128;

/** What a valid XCLIENT carries. */
export interface XclientFields {
  readonly address?: string;
  readonly port?: number;
  readonly sessionId?: string;
  readonly ttl?: number;
}

export const xclientCommand: Pop3Command = {
  name: 'XCLIENT',
  allowedIn: [Pop3State.Authorization, Pop3State.UserGiven],
  arity: { min: 1, max: 16 },
  async handle(session, command) {
    if (!session.connection.trusted) {
      session.badCommands++;
      session.write(err(TEXT.unknownCommand));
      return CommandOutcome.Continue;
    }
    const fields = parseXclient(command.args);
    if (typeof fields === 'string') {
      session.badCommands++;
      session.write(err(fields));
      return CommandOutcome.Continue;
    }
    session.startOver();
    apply(session, fields);
    session.write(ok('Updated'));
    return CommandOutcome.Continue;
  },
};

/** The fields of an XCLIENT, or an error text. */
export function parseXclient(args: readonly string[]): XclientFields | string {
  const out: { address?: string; port?: number; sessionId?: string; ttl?: number } = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) return 'Invalid parameters: expected KEY=VALUE.';
    const key = arg.slice(0, eq).toUpperCase();
    const value = arg.slice(eq + 1);
    switch (key) {
      case 'ADDR':
        if (isIP(value) === 0) return 'Invalid parameters: ADDR is not an IP address.';
        out.address = value.toLowerCase().startsWith('::ffff:') && isIP(value.slice(7)) === 4 ? value.slice(7) : value;
        break;
      case 'PORT':
        if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) return 'Invalid parameters: PORT is not a port number.';
        out.port = Number(value);
        break;
      case 'SESSION':
        if (!/^[\x21-\x7e]+$/.test(value) || value.length > MAX_SESSION_ID) return 'Invalid parameters: bad SESSION.';
        out.sessionId = value;
        break;
      case 'TTL':
        if (!/^\d{1,5}$/.test(value)) return 'Invalid parameters: TTL is not a number.';
        out.ttl = Number(value);
        break;
      default:
        break; // FORWARD, LOGIN, ...: not used here
    }
  }
  return out;
}

function apply(session: Pop3Session, fields: XclientFields): void {
  const conn = session.connection;
  if (fields.address !== undefined) {
    conn.remote = { address: fields.address, port: fields.port ?? 0 };
    session.forwarded = true;
  } else if (fields.port !== undefined) {
    conn.remote = { address: conn.remote.address, port: fields.port };
  }
  if (fields.sessionId !== undefined) session.forwardedSessionId = fields.sessionId;
  if (fields.ttl !== undefined) session.hops = Math.max(0, PROXY_TTL - fields.ttl);
  conn.log.info(
    {
      session: conn.sessionId,
      client: `${conn.remote.address}:${conn.remote.port}`,
      forwardedSession: session.forwardedSessionId,
      hops: session.hops,
    },
    'client address forwarded by a trusted proxy (XCLIENT)',
  );
}
