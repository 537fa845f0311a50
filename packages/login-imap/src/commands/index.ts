/**
 * The command table: an explicit literal (Dovecot's `imap_login_commands[]`), so the compiler sees
 * every handler. Commands of later states are named so that the reply can say "log in first".
 */
import { authenticateCommand } from './authenticate.js';
import { capabilityCommand } from './capability.js';
import { idCommand } from './id.js';
import type { ImapCommand } from './imap-command.js';
import { loginCommand } from './login.js';
import { logoutCommand } from './logout.js';
import { noopCommand } from './noop.js';
import { starttlsCommand } from './starttls.js';

/** Pre-login commands by upper-case name. */
export const IMAP_LOGIN_COMMANDS: ReadonlyMap<string, ImapCommand> = new Map<string, ImapCommand>([
  ['CAPABILITY', capabilityCommand],
  ['NOOP', noopCommand],
  ['LOGOUT', logoutCommand],
  ['STARTTLS', starttlsCommand],
  ['LOGIN', loginCommand],
  ['AUTHENTICATE', authenticateCommand],
  ['ID', idCommand],
]);

/** Commands valid only after login (RFC 9051 §6.3-6.4): answered "log in first", not "unknown". */
export const POST_LOGIN_COMMANDS: ReadonlySet<string> = new Set([
  'ENABLE', 'SELECT', 'EXAMINE', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LIST', 'LSUB',
  'NAMESPACE', 'STATUS', 'APPEND', 'IDLE', 'CHECK', 'CLOSE', 'UNSELECT', 'EXPUNGE', 'SEARCH', 'FETCH',
  'STORE', 'COPY', 'MOVE', 'UID', 'GETQUOTA', 'GETQUOTAROOT', 'SETQUOTA', 'GETACL', 'SETACL', 'MYRIGHTS',
]);
