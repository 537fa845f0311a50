/**
 * The command table: an explicit literal (Dovecot's `pop3_login_commands[]`), so the compiler sees
 * every handler. Commands of the TRANSACTION state are named so that the reply can say "log in first".
 */
import { apopCommand } from './apop.js';
import { authCommand } from './auth.js';
import { capaCommand } from './capa.js';
import { passCommand } from './pass.js';
import type { Pop3Command } from './pop3-command.js';
import { quitCommand } from './quit.js';
import { stlsCommand } from './stls.js';
import { userCommand } from './user.js';
import { xclientCommand } from './xclient.js';

/** Pre-login commands by upper-case keyword. */
export const POP3_LOGIN_COMMANDS: ReadonlyMap<string, Pop3Command> = new Map<string, Pop3Command>([
  ['CAPA', capaCommand],
  ['STLS', stlsCommand],
  ['USER', userCommand],
  ['PASS', passCommand],
  ['APOP', apopCommand],
  ['AUTH', authCommand],
  ['QUIT', quitCommand],
  ['XCLIENT', xclientCommand],
]);

/**
 * Commands valid only in the TRANSACTION state (RFC 1939 §5, RFC 2449 §6.4-6.5): answered "not allowed
 * before login", not "unknown". NOOP is one of them: RFC 1939 does not allow it in AUTHORIZATION, and
 * Dovecot answers it with -ERR there too.
 */
export const POST_LOGIN_COMMANDS: ReadonlySet<string> = new Set(['STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'TOP', 'UIDL', 'LAST']);
