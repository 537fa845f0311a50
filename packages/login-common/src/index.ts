/**
 * @packageDocumentation
 * What IMAP and POP3 logins share (protocol-neutral): the bounded input reader, STARTTLS and TLS
 * contexts, SASL mechanisms and their driver, the authenticator with its failure penalty, the
 * trusted-networks matcher, routing and handoff to the backend, and log redaction.
 */
export * from './login-common-options.js';
export * from './login-common-settings.js';
export * from './tokens.js';
export * from './register.js';
export * from './redact-command.js';
export * from './input/input-errors.js';
export * from './input/input-reader.js';
export * from './tls/tls-context-provider.js';
export * from './tls/tls-info.js';
export * from './tls/upgrade-to-tls.js';
export * from './network/trusted-networks.js';
export * from './network/address-prefix.js';
export type { IPasswordVerifier as PasswordVerifier, ScramCredentials, ScramHash } from './auth/password-verifier.js';
export * from './auth/penalty-tracker.js';
export * from './auth/authenticator.js';
export * from './auth/dovecot-password-verifier.js';
export * from './sasl/sasl-mechanism.js';
export * from './sasl/sasl-text.js';
export * from './sasl/plain.js';
export * from './sasl/login.js';
export * from './sasl/cram-md5.js';
export * from './sasl/scram.js';
export * from './sasl/external.js';
export * from './sasl/sasl-mechanism-registry.js';
export { MECHANISM_TRAITS, advertisedMechanisms, mechanismRefusal, mechanismTraits, plaintextAllowed, type MechanismPolicy } from './sasl/mechanism-policy.js';
export * from './sasl/sasl-exchange.js';
export * from './routing/session-router.js';
