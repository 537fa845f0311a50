/**
 * SASL LOGIN (draft-murchison-sasl-login-00, obsolete but widely used by Outlook and others):
 * `Username:` then `Password:` challenges.
 */
import type { SaslContext, SaslMechanism, SaslMechanismSession, SaslStep } from './sasl-mechanism.js';
import { decodeUtf8 } from './sasl-text.js';

/** The LOGIN mechanism. */
export class LoginMechanism implements SaslMechanism {
  readonly name = 'LOGIN';
  readonly plaintext = true;
  readonly challengeResponse = false;
  readonly clientCertificate = false;
  readonly prefetch = false;

  start(_context: SaslContext): SaslMechanismSession {
    let user: string | undefined;
    return {
      step: async (response): Promise<SaslStep> => {
        if (user === undefined) {
          // The initial response, if any, is the user name (draft §2, as Dovecot accepts).
          if (response === undefined) return { kind: 'challenge', data: Buffer.from('Username:') };
          const name = decodeUtf8(response);
          if (name === undefined || name.length === 0 || name.includes('\0')) return { kind: 'malformed', message: 'LOGIN user name must be non-empty UTF-8' };
          user = name;
          return { kind: 'challenge', data: Buffer.from('Password:') };
        }
        if (response === undefined || response.length === 0) return { kind: 'malformed', message: 'LOGIN needs a password' };
        return { kind: 'verify', login: user, credentials: { kind: 'password', password: Buffer.from(response) } };
      },
    };
  }
}
