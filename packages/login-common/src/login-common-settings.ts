/** The login-common settings of a process, read from options once (tests build them directly). */
import { CORE_OPTIONS, type ResolvedOptions } from '@pigeondeliver/core';
import { hostname } from 'node:os';
import { LOGIN_COMMON_OPTIONS } from './login-common-options.js';

/** Settings used by the SASL registry, the authenticator, the penalty and the router. */
export interface LoginCommonSettings {
  /** Enabled SASL mechanisms, upper case, in advertising order. */
  readonly saslMechanisms: readonly string[];
  /** Stored passwords can serve CRAM-MD5/SCRAM: advertise them. */
  readonly challengeMechanisms: boolean;
  /** Plaintext mechanisms allowed on unencrypted, untrusted connections. */
  readonly plaintextWithoutTls: boolean;
  readonly certUsernameField: 'CN' | 'emailAddress';
  readonly penaltyIpv6Prefix: number;
  readonly penaltyMaxEntries: number;
  /** Scheme for stored passwords without `{SCHEME}`; empty: the passwords package's default. */
  readonly defaultPasswordScheme: string;
  /** Hash verified for unknown users. */
  readonly dummyPasswordHash: string;
  /** This node's name (`node_name`): users whose host is another node are proxied. */
  readonly nodeName: string;
  /** Host name for CRAM-MD5 challenges. */
  readonly hostname: string;
  /** CIDRs of `trusted_networks`. */
  readonly trustedNetworks: readonly string[];
}

/** Reads {@link LoginCommonSettings} from validated options. */
export function loginCommonSettingsFromOptions(options: ResolvedOptions): LoginCommonSettings {
  return {
    saslMechanisms: options.get(LOGIN_COMMON_OPTIONS.saslMechanisms).map((m) => m.toUpperCase()),
    challengeMechanisms: options.get(LOGIN_COMMON_OPTIONS.saslChallengeMechanisms),
    plaintextWithoutTls: options.get(LOGIN_COMMON_OPTIONS.plaintextAuthWithoutTls),
    certUsernameField: options.get(LOGIN_COMMON_OPTIONS.tlsCertUsernameField),
    penaltyIpv6Prefix: options.get(LOGIN_COMMON_OPTIONS.penaltyIpv6Prefix),
    penaltyMaxEntries: options.get(LOGIN_COMMON_OPTIONS.penaltyMaxEntries),
    defaultPasswordScheme: options.get(CORE_OPTIONS.defaultPassScheme),
    dummyPasswordHash: options.get(LOGIN_COMMON_OPTIONS.dummyPasswordHash),
    nodeName: options.get(CORE_OPTIONS.nodeName),
    hostname: hostname(),
    trustedNetworks: options.get(CORE_OPTIONS.trustedNetworks),
  };
}

/** Settings with every default, for tests (override what a test needs). */
export function defaultLoginCommonSettings(overrides: Partial<LoginCommonSettings> = {}): LoginCommonSettings {
  return {
    saslMechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'CRAM-MD5', 'PLAIN', 'LOGIN', 'EXTERNAL'],
    challengeMechanisms: false,
    plaintextWithoutTls: false,
    certUsernameField: 'CN',
    penaltyIpv6Prefix: 64,
    penaltyMaxEntries: 100_000,
    defaultPasswordScheme: 'CRYPT',
    dummyPasswordHash: LOGIN_COMMON_OPTIONS.dummyPasswordHash.defaultValue!,
    nodeName: 'localnode',
    hostname: 'localhost',
    trustedNetworks: ['127.0.0.0/8', '::1/128'],
    ...overrides,
  };
}
