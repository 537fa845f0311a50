/**
 * SASL SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677), without channel binding: gs2 flag `n`
 * or `y` only (we never advertise the -PLUS variants, RFC 5802 §6). Credentials come from a stored
 * SCRAM hash or a plaintext password; an unknown user (or one whose hash cannot serve SCRAM) gets a
 * fake salt derived from the login and a per-process secret, so the reply does not reveal which
 * users exist (RFC 5802 §9 "mock" salt).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IPasswordVerifier, ScramCredentials, ScramHash } from '../auth/password-verifier.js';
import type { PrefetchResult, SaslContext, SaslMechanism, SaslMechanismSession, SaslStep } from './sasl-mechanism.js';
import { decodeUtf8 } from './sasl-text.js';

/** Iteration count announced for unknown users (RFC 7677 §4 recommends at least 4096). */
const FAKE_ITERATIONS = 4096;

/** The SCRAM-SHA-1 or SCRAM-SHA-256 mechanism. */
export class ScramMechanism implements SaslMechanism {
  readonly name: string;
  readonly plaintext = false;
  readonly challengeResponse = true;
  readonly clientCertificate = false;
  readonly prefetch = true;
  private readonly algorithm: 'sha1' | 'sha256';

  constructor(
    private readonly hash: ScramHash,
    private readonly verifier: IPasswordVerifier,
    /** Secret for fake salts; one per process is enough (it only has to be unpredictable). */
    private readonly fakeSaltSecret: Buffer = randomBytes(32),
  ) {
    this.name = hash === 'SHA-1' ? 'SCRAM-SHA-1' : 'SCRAM-SHA-256';
    this.algorithm = hash === 'SHA-1' ? 'sha1' : 'sha256';
  }

  start(context: SaslContext): SaslMechanismSession {
    let stage: 'first' | 'final' | 'done' = 'first';
    let gs2Header = '';
    let clientFirstBare = '';
    let serverFirst = '';
    let nonce = '';
    let login = '';
    let prefetched: PrefetchResult = { status: 'unknown' };
    let credentials: ScramCredentials | undefined;
    return {
      step: async (response): Promise<SaslStep> => {
        if (stage === 'first') {
          if (response === undefined) return { kind: 'challenge', data: Buffer.alloc(0) };
          const first = parseClientFirst(response);
          if ('error' in first) return { kind: 'malformed', message: first.error };
          ({ gs2Header, clientFirstBare, login } = first);
          prefetched = await context.prefetch(login);
          if (prefetched.status === 'failed') {
            return { kind: 'verify', login, prefetched, credentials: { kind: 'custom', check: async () => false } };
          }
          if (prefetched.status === 'found' && prefetched.password !== null) {
            credentials = await this.verifier.scramCredentials(prefetched.password, this.hash, login).catch(() => undefined);
          }
          const salt = credentials?.salt ?? this.fakeSalt(login);
          const iterations = credentials?.iterations ?? FAKE_ITERATIONS;
          nonce = first.clientNonce + randomBytes(18).toString('base64');
          serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
          stage = 'final';
          return { kind: 'challenge', data: Buffer.from(serverFirst) };
        }
        if (stage === 'final') {
          stage = 'done';
          const text = response === undefined ? undefined : decodeUtf8(response);
          const m = text === undefined ? null : /^c=([^,]*),r=([^,]*)(?:,[^,]*)*?,p=([A-Za-z0-9+/=]+)$/.exec(text);
          if (!m || text === undefined) return { kind: 'malformed', message: 'SCRAM client-final-message expected' };
          if (Buffer.from(m[1]!, 'base64').toString('latin1') !== gs2Header) return { kind: 'malformed', message: 'SCRAM channel binding data does not match' };
          if (m[2] !== nonce) return { kind: 'malformed', message: 'SCRAM nonce does not match' };
          const withoutProof = text.slice(0, text.lastIndexOf(',p='));
          const authMessage = Buffer.from(`${clientFirstBare},${serverFirst},${withoutProof}`);
          const proof = Buffer.from(m[3]!, 'base64');
          const creds = credentials;
          const ok = creds !== undefined && this.proofMatches(creds, authMessage, proof);
          const serverSignature = creds ? createHmac(this.algorithm, creds.serverKey).update(authMessage).digest() : undefined;
          return {
            kind: 'verify',
            login,
            prefetched,
            credentials: { kind: 'custom', check: async () => ok },
            successData: serverSignature ? Buffer.from(`v=${serverSignature.toString('base64')}`) : undefined,
          };
        }
        return { kind: 'malformed', message: 'SCRAM exchange already complete' };
      },
    };
  }

  /** RFC 5802 §3: ClientKey = proof XOR HMAC(StoredKey, AuthMessage); H(ClientKey) must equal StoredKey. */
  private proofMatches(creds: ScramCredentials, authMessage: Buffer, proof: Buffer): boolean {
    const signature = createHmac(this.algorithm, creds.storedKey).update(authMessage).digest();
    if (proof.length !== signature.length) return false;
    const clientKey = Buffer.alloc(signature.length);
    for (let i = 0; i < signature.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    const stored = createHash(this.algorithm).update(clientKey).digest();
    return stored.length === creds.storedKey.length && timingSafeEqual(stored, creds.storedKey);
  }

  private fakeSalt(login: string): Buffer {
    return createHmac('sha256', this.fakeSaltSecret).update(`${this.name}\0${login}`).digest().subarray(0, 16);
  }
}

/** Decodes a SCRAM saslname (RFC 5802 §5.1: `=2C` is `,`, `=3D` is `=`, any other `=` is invalid). */
function unescapeSaslname(value: string): string | undefined {
  if (/=(?!2C|3D)/.test(value)) return undefined;
  return value.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/** Parses client-first-message (RFC 5802 §7). */
function parseClientFirst(
  message: Buffer,
): { gs2Header: string; clientFirstBare: string; login: string; clientNonce: string } | { error: string } {
  const text = decodeUtf8(message);
  if (text === undefined) return { error: 'SCRAM message must be UTF-8' };
  const m = /^([ny]|p=[^,]*),(a=[^,]*)?,(.*)$/s.exec(text);
  if (!m) return { error: 'SCRAM client-first-message expected' };
  if (m[1]!.startsWith('p=')) return { error: 'SCRAM channel binding is not supported' };
  const bare = m[3]!;
  const parts = bare.split(',');
  if (parts[0]?.startsWith('m=')) return { error: 'SCRAM mandatory extensions are not supported' };
  const user = parts[0]?.startsWith('n=') ? unescapeSaslname(parts[0].slice(2)) : undefined;
  const clientNonce = parts[1]?.startsWith('r=') ? parts[1].slice(2) : '';
  if (!user || clientNonce.length === 0 || !/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) return { error: 'SCRAM user name and nonce expected' };
  if (m[2]) {
    // RFC 5802 §5.1 a=: acting as another user is not supported; only the user itself.
    const authzid = unescapeSaslname(m[2].slice(2));
    if (authzid !== user) return { error: 'SCRAM authorization identity must be empty or the user' };
  }
  return { gs2Header: `${m[1]},${m[2] ?? ''},`, clientFirstBare: bare, login: user, clientNonce };
}
