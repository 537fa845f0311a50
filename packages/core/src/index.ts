/**
 * @packageDocumentation
 * PigeonDeliver core: contracts, typed DI tokens, errors, limits, options and config parsing, logging,
 * the plugin loader and the composition root every forker calls.
 */
import './reflect.js';

export * from './tokens.js';
export * from './di.js';
export * from './errors.js';
export * from './options.js';
export * from './config-file.js';
export * from './command-line.js';
export * from './limits.js';
export * from './logging.js';
export { BatchedLogWriter, FLUSH_BYTES, FLUSH_DELAY_MS } from './batched-log-writer.js';
export * from './core-options.js';
export * from './plugin-loader.js';
export * from './backend-registry.js';
export * from './raw-options.js';
export * from './run-forker.js';
export * from './program.js';
export * from './launch/index.js';
export * from './connection/index.js';
export { findGreeter, GREETING_SUBPATH } from './early/greeter-loader.js';
export { pendingLogger } from './early/pending-logger.js';
export { earlyGreeting, sayUnavailable, writeLine } from './early/early-greeting.js';
export { UNKNOWN_ENDPOINT, type Endpoint } from './contracts/endpoint.js';
export type { NewUser, NodeRecord, UserChanges, UserRecord } from './contracts/user.js';
export { AuthResult, type AuthOutcome, type AuthRequest, type CredentialCheck, type MailProtocol } from './contracts/auth.js';
export type { ClientConnection, TlsInfo } from './contracts/connection.js';
export type { AuthenticatedSession } from './contracts/session.js';
export { RejectReason } from './contracts/login-service.js';
export type { EarlyGreeting, Greeter, GreetingFacts, GreetingSent } from './contracts/greeter.js';
export type { ConnectionHandler } from './contracts/forker.js';
export { ProxyFailure } from './contracts/proxy-dialect.js';
export { PLUGIN_API_VERSION, type PluginKind, type PluginManifest } from './contracts/plugin-manifest.js';
export type { LaunchRequest, LaunchResult } from './contracts/session-launcher.js';
export { canonicalAddress, parseCidr, NetworkSet, type Cidr } from './network/cidr.js';
export { ipVersion } from './network/ip-version.js';
