/** SASL CRAM-MD5 (RFC 2195): the server sends a unique challenge, the client answers `user hex(HMAC-MD5(password, challenge))`. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IPasswordVerifier } from '../auth/password-verifier.js';
import type { SaslContext, SaslMechanism, SaslMechanismSession, SaslStep } from './sasl-mechanism.js';
import { decodeUtf8 } from './sasl-text.js';

/** The CRAM-MD5 mechanism. */
export class CramMd5Mechanism implements SaslMechanism {
  readonly name = 'CRAM-MD5';
  readonly plaintext = false;
  readonly challengeResponse = true;
  readonly clientCertificate = false;
  readonly prefetch = false;

  constructor(private readonly verifier: IPasswordVerifier) {}

  start(context: SaslContext): SaslMechanismSession {
    // RFC 2195 §2: a msg-id style challenge, unique per exchange.
    const challenge = Buffer.from(`<${randomBytes(12).toString('hex')}.${Date.now()}@${context.hostname}>`);
    let sent = false;
    return {
      step: async (response): Promise<SaslStep> => {
        if (!sent) {
          sent = true;
          if (response !== undefined && response.length > 0) return { kind: 'malformed', message: 'CRAM-MD5 has no initial response' };
          return { kind: 'challenge', data: challenge };
        }
        const text = response === undefined ? undefined : decodeUtf8(response);
        const m = text === undefined ? null : /^(.+) ([0-9a-fA-F]{32})$/.exec(text);
        if (!m) return { kind: 'malformed', message: 'CRAM-MD5 response must be "user digest"' };
        const login = m[1]!;
        const digest = Buffer.from(m[2]!, 'hex');
        return {
          kind: 'verify',
          login,
          credentials: {
            kind: 'custom',
            check: async (stored) => {
              if (stored === null) return false;
              const expected = await this.verifier.cramMd5Digest(stored, challenge, login);
              return expected !== undefined && expected.length === digest.length && timingSafeEqual(expected, digest);
            },
          },
        };
      },
    };
  }
}
