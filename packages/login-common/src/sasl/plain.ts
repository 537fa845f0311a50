/** SASL PLAIN (RFC 4616): `[authzid] NUL authcid NUL passwd` in one message. */
import type { SaslContext, SaslMechanism, SaslMechanismSession, SaslStep } from './sasl-mechanism.js';
import { decodeUtf8 } from './sasl-text.js';

/** The PLAIN mechanism. */
export class PlainMechanism implements SaslMechanism {
  readonly name = 'PLAIN';
  readonly plaintext = true;
  readonly challengeResponse = false;
  readonly clientCertificate = false;
  readonly prefetch = false;

  start(_context: SaslContext): SaslMechanismSession {
    let challenged = false;
    return {
      step: async (response): Promise<SaslStep> => {
        if (response === undefined) {
          if (challenged) return { kind: 'malformed', message: 'PLAIN expects a response' };
          challenged = true;
          return { kind: 'challenge', data: Buffer.alloc(0) }; // RFC 4616 §2: empty challenge
        }
        return parsePlain(response);
      },
    };
  }
}

/** Parses a PLAIN message (RFC 4616 §2) into credentials. */
export function parsePlain(message: Buffer): SaslStep {
  const first = message.indexOf(0);
  const second = first < 0 ? -1 : message.indexOf(0, first + 1);
  if (first < 0 || second < 0 || message.indexOf(0, second + 1) >= 0) {
    return { kind: 'malformed', message: 'PLAIN message must be authzid NUL authcid NUL password' };
  }
  const authzid = decodeUtf8(message.subarray(0, first));
  const authcid = decodeUtf8(message.subarray(first + 1, second));
  const password = Buffer.from(message.subarray(second + 1));
  if (authzid === undefined || authcid === undefined) return { kind: 'malformed', message: 'PLAIN identities must be UTF-8' };
  if (authcid.length === 0 || password.length === 0) return { kind: 'malformed', message: 'PLAIN needs a user name and a password' };
  // RFC 4616 §2: an authzid other than the authcid asks to act as another user; we have no
  // authorization rules (no master users here), so only the user itself is accepted.
  if (authzid.length > 0 && authzid !== authcid) {
    return { kind: 'verify', login: authcid, credentials: { kind: 'custom', check: async () => false } };
  }
  return { kind: 'verify', login: authcid, credentials: { kind: 'password', password } };
}
