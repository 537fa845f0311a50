/**
 * @packageDocumentation
 * POP3 pre-authentication state machine (RFC 1939, 2449 CAPA, 2595 STLS, 5034 SASL AUTH, 3206
 * response codes): greeting (APOP timestamp when enabled), CAPA, STLS, USER/PASS, APOP, AUTH, QUIT,
 * XCLIENT from trusted proxies; hands the session to the routed backend, which answers `+OK`.
 */
import { PLUGIN_API_VERSION, type PluginManifest } from '@pigeondeliver/core';
import { LOGIN_COMMON_OPTION_PREFIXES, LOGIN_COMMON_OPTION_SPECS } from '@pigeondeliver/login-common';
import { POP3_OPTIONS } from './pop3-options.js';
import { register } from './register.js';

export { Pop3LoginService } from './pop3-login-service.js';
export { Pop3ProxyDialect, Pop3ProxyError } from './pop3-proxy-dialect.js';
export { parsePop3Line, Pop3LineProblem, type Pop3CommandLine } from './pop3-command-line.js';
export { POP3_OPTIONS, pop3SettingsFromOptions, type Pop3Settings } from './pop3-options.js';
export { Pop3Session, Pop3State, type Pop3Services } from './pop3-session.js';
export { PasswordsApopVerifier, apopDigest, apopTimestamp, type ApopVerifier } from './apop.js';
export { capabilities } from './pop3-capabilities.js';
export { Pop3Code } from './replies.js';
export { POP3_LOGIN_COMMANDS, POST_LOGIN_COMMANDS } from './commands/index.js';
export { parseXclient, PROXY_TTL, type XclientFields } from './commands/xclient.js';
export { CommandOutcome, type Pop3Command } from './commands/pop3-command.js';
export { register } from './register.js';

/** The plugin manifest (`-o dscm_service=login-pop3`). */
const manifest: PluginManifest = {
  apiVersion: PLUGIN_API_VERSION,
  kind: 'login',
  name: 'login-pop3',
  options: [...Object.values(POP3_OPTIONS), ...LOGIN_COMMON_OPTION_SPECS],
  // pop3_ is ours; login-common's sasl_/tls_ keys are validated by every login service that loads it.
  optionPrefixes: ['pop3_', ...LOGIN_COMMON_OPTION_PREFIXES],
  register,
};
export default manifest;
