/**
 * The options login-common reads. Every protocol package that uses login-common includes
 * {@link LOGIN_COMMON_OPTION_SPECS} in its manifest's `options` and {@link LOGIN_COMMON_OPTION_PREFIXES}
 * in its `optionPrefixes`, so these keys are validated wherever they are read.
 */
import { boolOption, enumOption, intOption, listOption, stringOption, type OptionSpec } from '@pigeondeliver/core/early';

/** SASL mechanisms this package implements, in the order they are advertised. */
export const KNOWN_SASL_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'CRAM-MD5', 'PLAIN', 'LOGIN', 'EXTERNAL'] as const;

/** The option specs, by field. */
export const LOGIN_COMMON_OPTIONS = {
  saslMechanisms: listOption(
    'sasl_mechanisms',
    `SASL mechanisms offered (${KNOWN_SASL_MECHANISMS.join(' ')}); each is advertised only where it can work`,
    'SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN EXTERNAL',
  ),
  saslChallengeMechanisms: boolOption(
    'sasl_challenge_mechanisms',
    'the stored passwords can serve CRAM-MD5 and SCRAM (plaintext or SCRAM/CRAM-MD5 hashes): advertise them; users whose hash cannot serve one fail with the normal bad-credentials reply',
    false,
  ),
  plaintextAuthWithoutTls: boolOption(
    'plaintext_auth_without_tls',
    'allow LOGIN/PLAIN/USER+PASS on connections that are neither TLS-encrypted nor from a trusted network',
    false,
  ),
  tlsCert: stringOption('tls_cert', 'PEM certificate chain file for STARTTLS and implicit TLS (empty: no TLS)', ''),
  tlsKey: stringOption('tls_key', 'PEM private key file of tls_cert', ''),
  tlsSniCerts: listOption('tls_sni_certs', 'per-name certificates for SNI, entries name:certfile:keyfile (name may start with *.)', ''),
  tlsMinVersion: enumOption('tls_min_version', 'lowest TLS version accepted', ['TLSv1.2', 'TLSv1.3'] as const, 'TLSv1.2'),
  tlsCa: stringOption('tls_ca', 'PEM CA file that client certificates must chain to (SASL EXTERNAL)', ''),
  tlsRequestClientCert: boolOption('tls_request_client_cert', 'ask clients for a certificate (verified against tls_ca; never required)', false),
  tlsCertUsernameField: enumOption(
    'tls_cert_username_field',
    'client certificate subject field that names the user for SASL EXTERNAL',
    ['CN', 'emailAddress'] as const,
    'CN',
  ),
  penaltyIpv6Prefix: intOption('auth_penalty_ipv6_prefix', 'IPv6 clients share a failure penalty per prefix of this length', 64, { min: 1, max: 128 }),
  penaltyMaxEntries: intOption('auth_penalty_max_entries', 'client addresses whose failures are remembered at most (oldest forgotten first)', 100_000, { min: 100 }),
  dummyPasswordHash: stringOption(
    'auth_dummy_password_hash',
    'hash verified for unknown users so they take as long as real ones (use the scheme of your real hashes)',
    // SHA512-CRYPT of a random string, 5000 rounds (the usual cost of stored hashes).
    '{SHA512-CRYPT}$6$pdDummySaltXyZ$j9dSlfHxSNEcnPZyZztd34sVjhjPXDFpexpVaRAUosOsrMhjy5ObhZetWhw1Ec6aakvw67XCriFzciS.iBl8T/',
  ),
} satisfies Record<string, OptionSpec<unknown>>;

/** Every option login-common declares; protocol manifests spread it into their `options`. */
export const LOGIN_COMMON_OPTION_SPECS: readonly OptionSpec<unknown>[] = Object.values(LOGIN_COMMON_OPTIONS);

/** Key prefixes whose keys login-common declares (`sasl_`, `tls_`); protocol manifests add them to `optionPrefixes`. */
export const LOGIN_COMMON_OPTION_PREFIXES: readonly string[] = ['sasl_', 'tls_'];
