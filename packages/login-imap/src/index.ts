/**
 * @packageDocumentation
 * IMAP pre-authentication state machine (RFC 9051/3501): greeting, CAPABILITY, NOOP, LOGOUT,
 * STARTTLS, LOGIN, AUTHENTICATE (SASL-IR), ID, literals (LITERAL+); hands the session to the
 * routed backend, which answers the login command.
 */
import { PLUGIN_API_VERSION, type PluginManifest } from '@pigeondeliver/core';
import { LOGIN_COMMON_OPTION_PREFIXES, LOGIN_COMMON_OPTION_SPECS } from '@pigeondeliver/login-common';
import { IMAP_OPTIONS } from './imap-options.js';
import { register } from './register.js';

export { ImapLoginService } from './imap-login-service.js';
export { ImapProxyDialect, ImapProxyError } from './imap-proxy-dialect.js';
export { ImapParser, ImapParseError, ImapParseFailure, type ImapCommandLine, type ImapValue } from './imap-parser.js';
export { IMAP_OPTIONS, type ImapSettings } from './imap-options.js';
export { ImapSession, ImapState, type ImapServices } from './imap-session.js';
export { IMAP_LOGIN_COMMANDS } from './commands/index.js';
export { CommandOutcome, type ImapCommand } from './commands/imap-command.js';
export { register } from './register.js';

/** The plugin manifest (`-o dscm_service=login-imap`). */
const manifest: PluginManifest = {
  apiVersion: PLUGIN_API_VERSION,
  kind: 'login',
  name: 'login-imap',
  options: [...Object.values(IMAP_OPTIONS), ...LOGIN_COMMON_OPTION_SPECS],
  // imap_ is ours; login-common's sasl_/tls_ keys are validated by every login service that loads it.
  optionPrefixes: ['imap_', ...LOGIN_COMMON_OPTION_PREFIXES],
  register,
};
export default manifest;
