/**
 * @packageDocumentation
 * `@pigeondeliver/core/early`: the light part of core that a one-process-per-connection launch needs
 * before its greeting (docs/architecture.md "Greeting first"): raw options and option specs, errors
 * and exit codes, addresses and trusted networks, the socket of an inherited descriptor, session ids,
 * and the finder of a login plugin's greeting. Nothing here loads tsyringe, reflect-metadata, pino,
 * `node:tls`, `node:child_process` or a plugin, and every module loaded before the greeting counts
 * (docs/performance.md, time to greeting): the socket connection, TLS material, the service user and
 * the uid switch are in the full `@pigeondeliver/core`, which re-exports all of this too.
 */
export * from '../errors.js';
export * from '../options.js';
export * from '../core-options.js';
export * from '../limits.js';
export * from '../raw-options.js';
export * from '../config-file.js';
export * from '../command-line.js';
export { ExitCode, describeError, formatOptionHelp, runProgram } from '../program.js';
export { defaultPluginSearch, normalizePluginName, type PluginSearch } from '../plugin-loader.js';
export { PLUGIN_API_VERSION, type PluginKind } from '../contracts/plugin-manifest.js';
export { UNKNOWN_ENDPOINT, type Endpoint } from '../contracts/endpoint.js';
export type { ClientConnection, TlsInfo } from '../contracts/connection.js';
export type { EarlyGreeting, Greeter, GreetingFacts, GreetingSent } from '../contracts/greeter.js';
export type { Logger } from '../logging.js';
export { canonicalAddress, parseCidr, NetworkSet, type Cidr } from '../network/cidr.js';
export { ipVersion } from '../network/ip-version.js';
export { socketFromDescriptor } from '../connection/descriptor-socket.js';
export { endpointOf, formatEndpoint, socketEndpoints } from '../connection/endpoints.js';
export { newSessionId } from '../connection/session-id.js';
export { findGreeter, GREETING_SUBPATH } from './greeter-loader.js';
export { pendingLogger } from './pending-logger.js';
export { earlyGreeting, sayUnavailable, trustedEarly, writeLine } from './early-greeting.js';
