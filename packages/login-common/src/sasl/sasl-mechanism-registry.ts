/**
 * The enabled SASL mechanisms and where each may be offered: plaintext ones (PLAIN, LOGIN) only on
 * TLS or trusted connections unless `plaintext_auth_without_tls` (RFC 9051 §6.2.3 LOGINDISABLED,
 * RFC 2595 §2.3), CRAM-MD5 and SCRAM only when the stored passwords can serve them
 * (`sasl_challenge_mechanisms`), EXTERNAL only with a verified client certificate (RFC 4422 A).
 */
import { inject, injectable, ConfigError, type IAuthenticator, type TlsInfo } from '@pigeondeliver/core';
import type { IPasswordVerifier as PasswordVerifier } from '../auth/password-verifier.js';
import { KNOWN_SASL_MECHANISMS } from '../login-common-options.js';
import type { LoginCommonSettings } from '../login-common-settings.js';
import { ILoginCommonSettings, IPasswordVerifier } from '../tokens.js';
import { CramMd5Mechanism } from './cram-md5.js';
import { ExternalMechanism } from './external.js';
import { LoginMechanism } from './login.js';
import { PlainMechanism } from './plain.js';
import { ScramMechanism } from './scram.js';
import type { SaslMechanism } from './sasl-mechanism.js';

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

/** The mechanisms of a process. */
@injectable()
export class SaslMechanismRegistry {
  private readonly enabled: SaslMechanism[];

  constructor(
    @inject(ILoginCommonSettings) private readonly settings: LoginCommonSettings,
    @inject(IPasswordVerifier) verifier: PasswordVerifier,
  ) {
    const all: Record<(typeof KNOWN_SASL_MECHANISMS)[number], SaslMechanism> = {
      'SCRAM-SHA-256': new ScramMechanism('SHA-256', verifier),
      'SCRAM-SHA-1': new ScramMechanism('SHA-1', verifier),
      'CRAM-MD5': new CramMd5Mechanism(verifier),
      PLAIN: new PlainMechanism(),
      LOGIN: new LoginMechanism(),
      EXTERNAL: new ExternalMechanism(settings.certUsernameField),
    };
    this.enabled = settings.saslMechanisms.map((name) => {
      const m = (all as Record<string, SaslMechanism>)[name.toUpperCase()];
      if (!m) throw new ConfigError(`sasl_mechanisms: unknown mechanism "${name}" (known: ${KNOWN_SASL_MECHANISMS.join(', ')})`, 'sasl_mechanisms');
      return m;
    });
  }

  /** Plaintext passwords may be sent on this connection (IMAP LOGIN, PLAIN, LOGIN, POP3 USER/PASS). */
  plaintextAllowed(conn: ConnectionSecurity): boolean {
    return conn.secured || conn.trusted || this.settings.plaintextWithoutTls;
  }

  /** The mechanism names to advertise on a connection, in configured order. */
  advertised(conn: ConnectionSecurity, authenticator: IAuthenticator): string[] {
    return this.enabled.filter((m) => this.refusal(m, conn, authenticator) === undefined).map((m) => m.name);
  }

  /** The mechanism to run for a client's choice, or why it cannot be used. */
  select(name: string, conn: ConnectionSecurity, authenticator: IAuthenticator): SaslMechanism | MechanismRefusal {
    const m = this.enabled.find((x) => x.name === name.toUpperCase());
    if (!m) return MechanismRefusal.Unknown;
    return this.refusal(m, conn, authenticator) ?? m;
  }

  private refusal(m: SaslMechanism, conn: ConnectionSecurity, authenticator: IAuthenticator): MechanismRefusal | undefined {
    if (m.plaintext && !this.plaintextAllowed(conn)) return MechanismRefusal.PrivacyRequired;
    if (m.challengeResponse && !this.settings.challengeMechanisms) return MechanismRefusal.Unavailable;
    if (m.prefetch && !authenticator.storedPassword) return MechanismRefusal.Unavailable;
    if (m.clientCertificate && !conn.tls?.peerCertificate?.authorized) return MechanismRefusal.Unavailable;
    return undefined;
  }
}
