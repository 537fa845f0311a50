/**
 * ID (RFC 2971). We answer with our name. From trusted networks only, the forwarding fields of a
 * proxy (Dovecot's `x-originating-ip`, `x-originating-port`, `x-connected-ip`, `x-connected-port`,
 * `x-session-id`) set the client address used for logs, the penalty and the backend.
 */
import { isIP } from 'node:net';
import { ImapState, type ImapSession } from '../imap-session.js';
import type { ImapValue } from '../imap-parser.js';
import { ImapReply, tagged, untagged } from '../replies.js';
import { CommandOutcome, type ImapCommand } from './imap-command.js';

/** RFC 2971 §3.3: at most 30 field-value pairs, field names up to 30 octets, values up to 1024. */
const MAX_PAIRS = 30;
const MAX_FIELD = 30;
const MAX_VALUE = 1024;

export const idCommand: ImapCommand = {
  name: 'ID',
  allowedIn: [ImapState.NotAuthenticated],
  arity: { min: 1, max: 1 },
  async handle(session, command) {
    const fields = parseIdFields(command.args[0]!);
    if (typeof fields === 'string') {
      session.badCommands++;
      session.write(tagged(command.tag, ImapReply.Bad, fields));
      return CommandOutcome.Continue;
    }
    if (session.connection.trusted) applyForwarding(session, fields);
    const name = session.services.imap.idName;
    session.write(untagged(name ? `ID ("name" ${quote(name)})` : 'ID NIL'));
    session.write(tagged(command.tag, ImapReply.Ok, 'ID completed.'));
    return CommandOutcome.Continue;
  },
};

/** The client's fields (names lower-cased), or an error text. */
export function parseIdFields(arg: ImapValue): Map<string, string | null> | string {
  const fields = new Map<string, string | null>();
  if (arg.type === 'nil') return fields;
  if (arg.type !== 'list') return 'ID expects a parenthesized list or NIL.';
  if (arg.items.length % 2 !== 0 || arg.items.length > MAX_PAIRS * 2) return 'ID expects up to 30 field-value pairs.';
  for (let i = 0; i < arg.items.length; i += 2) {
    const k = arg.items[i]!;
    const v = arg.items[i + 1]!;
    if (k.type !== 'string' || k.value.length > MAX_FIELD) return 'ID field names must be strings of up to 30 octets.';
    if (v.type !== 'string' && v.type !== 'nil') return 'ID values must be strings or NIL.';
    if (v.type === 'string' && v.value.length > MAX_VALUE) return 'ID values are limited to 1024 octets.';
    fields.set(k.value.toString('latin1').toLowerCase(), v.type === 'nil' ? null : v.value.toString('utf8'));
  }
  return fields;
}

function applyForwarding(session: ImapSession, fields: Map<string, string | null>): void {
  const conn = session.connection;
  const ip = fields.get('x-originating-ip');
  if (ip && isIP(ip) !== 0) {
    const port = Number(fields.get('x-originating-port') ?? '0');
    conn.remote = { address: ip, port: Number.isInteger(port) && port >= 0 && port <= 65535 ? port : 0 };
    session.forwarded = true;
  }
  const sid = fields.get('x-session-id');
  if (sid && /^[\x21-\x7e]{1,128}$/.test(sid)) session.forwardedSessionId = sid;
  const connectedIp = fields.get('x-connected-ip');
  conn.log.info(
    {
      session: conn.sessionId,
      client: `${conn.remote.address}:${conn.remote.port}`,
      connected: connectedIp && isIP(connectedIp) ? `${connectedIp}:${fields.get('x-connected-port') ?? ''}` : undefined,
      forwardedSession: session.forwardedSessionId,
    },
    'client address forwarded by a trusted proxy',
  );
}

/** An IMAP quoted string (RFC 9051 §4.3). */
export function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`;
}
