/**
 * Turning accepted sockets into {@link `ClientConnection`s, shared by every forker: session ids,
 * endpoints, trusted networks, per-session loggers, TLS material, implicit TLS and STARTTLS, read
 * control of a paused socket, and the unprivileged identity clients are read with.
 */
export { ConnectionFactory, connectionFactoryFromOptions, type ConnectionFactorySettings, type ConnectionOverrides, type FactoryFromOptionsSettings } from './connection-factory.js';
export { socketFromDescriptor } from './descriptor-socket.js';
export { SocketConnection, type ConnectionTls, type SocketConnectionSettings } from './socket-connection.js';
export { readTlsMaterial, secureContextOf, sniContextsOf, tlsInfoOfSocket, type OptionLookup, type SniMaterial, type TlsMaterial } from './tls-material.js';
export { parseSniEntry, pickByServerName, type SniCertificate } from './sni-certificates.js';
export { endpointOf, formatEndpoint, socketEndpoints } from './endpoints.js';
export { newSessionId } from './session-id.js';
export { pooledRandomBytes } from './random-pool.js';
export { PrefixedStream } from './prefixed-stream.js';
export { releaseToProtocol, resumeReading, stopReading } from './socket-reading.js';
export { resolveServiceUser, type ServiceUser } from './service-user.js';
export { serveAcceptedSocket, type AcceptedClient, type AcceptedClientDeps } from './accepted-client.js';
