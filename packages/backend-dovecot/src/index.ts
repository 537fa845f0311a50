/**
 * @packageDocumentation
 * backend-dovecot: starts Dovecot's imap/pop3 already authenticated, as the user, on the client socket.
 */
import { PLUGIN_API_VERSION, type PluginManifest } from '@pigeondeliver/core';
import { DOVECOT_OPTION_SPECS } from './options.js';
import { register } from './register.js';

export { DovecotBackend } from './dovecot-backend.js';
export { DovecotEnvironment, parseEnvOutput, DOVECONF_TIMEOUT_MS } from './dovecot-environment.js';
export { buildDovecotLaunchRequest, dovecotMailLocation, isValidImapTag, DEFAULT_MAIL_LOCATION, type DovecotLaunchParams } from './dovecot-launch-request.js';
export { imapClientInput, pop3ClientInput } from './client-input.js';
export { DOVECOT_OPTIONS, DOVECOT_OPTION_SPECS, type DovecotMode } from './options.js';
export { register } from './register.js';
export { DovecotHandoff, type HandoffSettings, type HandoffOutcome, type HandoffState } from './handoff/dovecot-handoff.js';
export {
  decodeDelegatedHandoff,
  delegateHandoff,
  encodeDelegatedHandoff,
  isHandoffDelegate,
  encodeHandoffRegistration,
  decodeHandoffRegistration,
  isHandoffRegistrar,
  type DelegatedHandoff,
  type DelegatedPayload,
  type DelegatedUser,
  type HandoffDelegate,
  type HandoffRegistration,
  type HandoffRegistrar,
} from './handoff/delegated-handoff.js';
export { DirectHandoff, type DirectHandoffSettings, type DirectOutcome } from './handoff/direct-handoff.js';
export { HandoffSender, type SentEntry } from './handoff/handoff-sender.js';
export { CheckedHomes, CHECKED_HOME_TTL_MS } from './handoff/checked-homes.js';
export { AuthMasterServer, REFUSED_REASON, type AuthMasterSettings, type AuthMasterAnswer } from './handoff/auth-master-server.js';
export { PendingHandoffs, type HandoffEntry, type RefusalReason, type TakeResult } from './handoff/pending-handoffs.js';
export {
  encodeLoginRequest,
  decodeLoginReply,
  imapRequestData,
  pop3RequestData,
  LoginRequestFlag,
  LoginReplyStatus,
  MASTER_AUTH_REQUEST_SIZE,
  MASTER_AUTH_REPLY_SIZE,
  MASTER_AUTH_MAX_DATA_SIZE,
  MASTER_AUTH_COOKIE_SIZE,
  type LoginRequest,
  type LoginReply,
} from './handoff/login-request.js';
export {
  parseAuthMasterLine,
  tabEscape,
  tabUnescape,
  handshakeLines,
  userLine,
  failLine,
  AUTH_MASTER_VERSION,
  type AuthMasterLine,
  type AuthMasterRequest,
} from './handoff/auth-master-protocol.js';
export { parseIpAddress, AF_INET, AF_INET6, type IpBytes } from './handoff/ip-address.js';
export { HandoffPools, parsePoolUids, poolServiceName, poolShardServiceNames, type HandoffPool } from './handoff/handoff-pools.js';
export { generateDovecotHandoffConfig, type HandoffConfigSpec } from './handoff/dovecot-config.js';
export { handoffConfigSpecFromOptions } from './handoff/config-options.js';
export { readDovecotVersion, isTestedVersion } from './handoff/dovecot-version.js';
export { sendLoginRequest, LoginSocketError } from './handoff/login-socket-client.js';
export { fdPassAddon, socketDescriptor, type FdPassAddon, type PeerCredentials } from './handoff/native.js';

/** The plugin manifest the loader reads. */
const manifest: PluginManifest = {
  apiVersion: PLUGIN_API_VERSION,
  kind: 'backend',
  name: 'backend-dovecot',
  options: DOVECOT_OPTION_SPECS,
  optionPrefixes: ['dovecot_'],
  register,
};
export default manifest;
