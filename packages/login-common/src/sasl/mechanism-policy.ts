/**
 * Which SASL mechanisms a connection may use, as pure functions over each mechanism's traits: the
 * registry (full service) and the early greeting (`@pigeondeliver/login-common/greeting`) decide with
 * the same code, so an IMAP greeting's AUTH= list is the same whoever computes it.
 */
import { ConfigError, type TlsInfo } from '@pigeondeliver/core/early';
import { KNOWN_SASL_MECHANISMS } from '../login-common-options.js';
import type { SaslMechanismTraits } from './sasl-mechanism.js';

/** What decides which mechanisms a connection may use. */
export interface ConnectionSecurity {
  /** TLS is active. */
  readonly secured: boolean;
  /** The client is on a trusted network. */
  readonly trusted: boolean;
  readonly tls?: TlsInfo;
}

/** Why a mechanism cannot be used on a connection. */
export enum MechanismRefusal {
  /** Not implemented or not enabled: IMAP `NO [CANNOT]`-style "unsupported mechanism". */
  Unknown = 'unknown',
  /** Plaintext mechanism on an insecure connection: IMAP `NO [PRIVACYREQUIRED]`, POP3 `-ERR [AUTH]`. */
  PrivacyRequired = 'privacy-required',
  /** Needs something this connection or server lacks (client certificate, servable passwords). */
  Unavailable = 'unavailable',
}

/** The settings the decision reads (a subset of LoginCommonSettings). */
export interface MechanismPolicy {
  /** Plaintext mechanisms allowed on unencrypted, untrusted connections. */
  readonly plaintextWithoutTls: boolean;
  /** Stored passwords can serve CRAM-MD5/SCRAM. */
  readonly challengeMechanisms: boolean;
}

/** The traits of every mechanism login-common implements (the classes declare the same; a test checks it). */
export const MECHANISM_TRAITS: Readonly<Record<(typeof KNOWN_SASL_MECHANISMS)[number], SaslMechanismTraits>> = {
  'SCRAM-SHA-256': { plaintext: false, challengeResponse: true, clientCertificate: false, prefetch: true },
  'SCRAM-SHA-1': { plaintext: false, challengeResponse: true, clientCertificate: false, prefetch: true },
  'CRAM-MD5': { plaintext: false, challengeResponse: true, clientCertificate: false, prefetch: false },
  PLAIN: { plaintext: true, challengeResponse: false, clientCertificate: false, prefetch: false },
  LOGIN: { plaintext: true, challengeResponse: false, clientCertificate: false, prefetch: false },
  EXTERNAL: { plaintext: false, challengeResponse: false, clientCertificate: true, prefetch: false },
};

/** Plaintext passwords may be sent on this connection (IMAP LOGIN, PLAIN, LOGIN, POP3 USER/PASS). */
export function plaintextAllowed(policy: MechanismPolicy, conn: ConnectionSecurity): boolean {
  return conn.secured || conn.trusted || policy.plaintextWithoutTls;
}

/**
 * Why a mechanism with `traits` cannot be used on `conn`, or undefined when it can. `storedPasswords`:
 * the authenticator can read stored passwords before the proof (core's IAuthenticator.storedPassword).
 */
export function mechanismRefusal(traits: SaslMechanismTraits, conn: ConnectionSecurity, policy: MechanismPolicy, storedPasswords: boolean): MechanismRefusal | undefined {
  if (traits.plaintext && !plaintextAllowed(policy, conn)) return MechanismRefusal.PrivacyRequired;
  if (traits.challengeResponse && !policy.challengeMechanisms) return MechanismRefusal.Unavailable;
  if (traits.prefetch && !storedPasswords) return MechanismRefusal.Unavailable;
  if (traits.clientCertificate && !conn.tls?.peerCertificate?.authorized) return MechanismRefusal.Unavailable;
  return undefined;
}

/** The traits of a configured mechanism name; ConfigError naming sasl_mechanisms for an unknown one. */
export function mechanismTraits(name: string): SaslMechanismTraits {
  const traits = (MECHANISM_TRAITS as Record<string, SaslMechanismTraits>)[name.toUpperCase()];
  if (!traits) throw new ConfigError(`sasl_mechanisms: unknown mechanism "${name}" (known: ${KNOWN_SASL_MECHANISMS.join(', ')})`, 'sasl_mechanisms');
  return traits;
}

/** The names of `enabled` (in order) to advertise on `conn`. */
export function advertisedMechanisms(enabled: readonly string[], conn: ConnectionSecurity, policy: MechanismPolicy, storedPasswords: boolean): string[] {
  return enabled.filter((name) => mechanismRefusal(mechanismTraits(name), conn, policy, storedPasswords) === undefined).map((n) => n.toUpperCase());
}
