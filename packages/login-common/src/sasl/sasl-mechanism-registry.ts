/**
 * The enabled SASL mechanisms and where each may be offered: plaintext ones (PLAIN, LOGIN) only on
 * TLS or trusted connections unless `plaintext_auth_without_tls` (RFC 9051 §6.2.3 LOGINDISABLED,
 * RFC 2595 §2.3), CRAM-MD5 and SCRAM only when the stored passwords can serve them
 * (`sasl_challenge_mechanisms`), EXTERNAL only with a verified client certificate (RFC 4422 A).
 */
import { inject, injectable, ConfigError, type IAuthenticator } from '@pigeondeliver/core';
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
import { MechanismRefusal, mechanismRefusal, plaintextAllowed, type ConnectionSecurity } from './mechanism-policy.js';

export { MechanismRefusal, type ConnectionSecurity } from './mechanism-policy.js';

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
    return plaintextAllowed(this.settings, conn);
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
    return mechanismRefusal(m, conn, this.settings, authenticator.storedPassword !== undefined);
  }
}
