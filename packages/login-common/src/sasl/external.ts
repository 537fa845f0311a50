/**
 * SASL EXTERNAL (RFC 4422 appendix A) with the identity of a verified TLS client certificate, the
 * user named by the `tls_cert_username_field` subject field.
 */
import { certificateUsername } from '../tls/tls-info.js';
import type { SaslContext, SaslMechanism, SaslMechanismSession, SaslStep } from './sasl-mechanism.js';
import { decodeUtf8 } from './sasl-text.js';

/** The EXTERNAL mechanism. */
export class ExternalMechanism implements SaslMechanism {
  readonly name = 'EXTERNAL';
  readonly plaintext = false;
  readonly challengeResponse = false;
  readonly clientCertificate = true;
  readonly prefetch = false;

  constructor(private readonly usernameField: 'CN' | 'emailAddress') {}

  start(context: SaslContext): SaslMechanismSession {
    let challenged = false;
    return {
      step: async (response): Promise<SaslStep> => {
        if (response === undefined) {
          if (challenged) return { kind: 'malformed', message: 'EXTERNAL expects a response' };
          challenged = true;
          return { kind: 'challenge', data: Buffer.alloc(0) };
        }
        const identity = certificateUsername(context.tls, this.usernameField);
        const authzid = decodeUtf8(response);
        if (authzid === undefined) return { kind: 'malformed', message: 'EXTERNAL authorization identity must be UTF-8' };
        if (identity === undefined) {
          // No verified certificate: fail like bad credentials (the client learns nothing more).
          return { kind: 'verify', login: authzid || '(no certificate)', credentials: { kind: 'custom', check: async () => false } };
        }
        // RFC 4422 appendix A.1: an empty authzid means "the identity the certificate gives".
        if (authzid.length > 0 && authzid !== identity) {
          return { kind: 'verify', login: identity, credentials: { kind: 'custom', check: async () => false } };
        }
        return { kind: 'verify', login: identity, credentials: { kind: 'external' } };
      },
    };
  }
}
