/**
 * @packageDocumentation
 * `@pigeondeliver/login-common/greeting`: what a protocol's early greeting needs from login-common,
 * read from raw option values without the DI container (docs/architecture.md "Greeting first"):
 * whether STARTTLS will be offered, whether plaintext login is allowed and which SASL mechanisms are
 * advertised, decided by the same functions as the full service.
 */
import { rawOptionValue, type GreetingFacts, type RawOptionLookup } from '@pigeondeliver/core/early';
import { LOGIN_COMMON_OPTIONS } from './login-common-options.js';
import { advertisedMechanisms, plaintextAllowed, type ConnectionSecurity, type MechanismPolicy } from './sasl/mechanism-policy.js';

export { LOGIN_COMMON_OPTIONS, KNOWN_SASL_MECHANISMS } from './login-common-options.js';
export { advertisedMechanisms, plaintextAllowed, type ConnectionSecurity, type MechanismPolicy } from './sasl/mechanism-policy.js';

/** What the greeting of a connection may say about authentication and TLS. */
export interface GreetingSecurity {
  /** STARTTLS will be offered (TLS not active yet and tls_cert set: login-common's withStartTls). */
  readonly startTls: boolean;
  /** Plaintext passwords are allowed now (else IMAP says LOGINDISABLED). */
  readonly plaintextAllowed: boolean;
  /** SASL mechanisms to advertise now, in configured order. */
  readonly mechanisms: readonly string[];
}

/**
 * Computes {@link GreetingSecurity} from raw options. Assumes the default authenticator (it reads
 * stored passwords, so SCRAM may be offered); throws the option's ConfigError for a bad value.
 */
export function greetingSecurity(lookup: RawOptionLookup, facts: GreetingFacts): GreetingSecurity {
  const policy: MechanismPolicy = {
    plaintextWithoutTls: rawOptionValue(lookup, LOGIN_COMMON_OPTIONS.plaintextAuthWithoutTls),
    challengeMechanisms: rawOptionValue(lookup, LOGIN_COMMON_OPTIONS.saslChallengeMechanisms),
  };
  const security: ConnectionSecurity = { secured: facts.secured, trusted: facts.trusted, tls: facts.tls };
  const enabled = rawOptionValue(lookup, LOGIN_COMMON_OPTIONS.saslMechanisms);
  return {
    startTls: !facts.secured && rawOptionValue(lookup, LOGIN_COMMON_OPTIONS.tlsCert) !== '',
    plaintextAllowed: plaintextAllowed(policy, security),
    mechanisms: advertisedMechanisms(enabled, security, policy, true),
  };
}
