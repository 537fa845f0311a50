/** Shared wiring for login-common tests. */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { DEFAULT_LIMITS, silentLogger, type Limits, type Logger } from '@pigeondeliver/core';
import { Authenticator, PenaltyTracker, defaultLoginCommonSettings, type LoginCommonSettings, type PasswordVerifier } from '@pigeondeliver/login-common';
import { MemoryUserRepository, PlaintextPasswordVerifier } from '@pigeondeliver/test-fixtures/fake-authenticator';

export interface AuthParts {
  readonly users: MemoryUserRepository;
  readonly verifier: PasswordVerifier & { verifications?: number };
  readonly penalty: PenaltyTracker;
  readonly authenticator: Authenticator;
  readonly settings: LoginCommonSettings;
  readonly limits: Limits;
}

/** An Authenticator over memory users (alice/secret, bob disabled, carol no IMAP). */
export function authParts(
  options: { limits?: Partial<Limits>; settings?: Partial<LoginCommonSettings>; verifier?: PasswordVerifier; logger?: Logger } = {},
): AuthParts {
  const limits: Limits = { ...DEFAULT_LIMITS, penaltyInitial: 0, ...options.limits };
  const settings = defaultLoginCommonSettings({ dummyPasswordHash: '{PLAIN}dummy', challengeMechanisms: true, ...options.settings });
  const users = new MemoryUserRepository([
    { login: 'alice', password: '{PLAIN}secret' },
    { login: 'bob', password: '{PLAIN}secret', enabled: false },
    { login: 'carol', password: '{PLAIN}secret', allowImap: false },
    { login: 'nopw', password: null },
  ]);
  const verifier = options.verifier ?? new PlaintextPasswordVerifier();
  const penalty = new PenaltyTracker({ initial: limits.penaltyInitial, max: limits.penaltyMax, memory: limits.penaltyMemory, maxEntries: 100, ipv6Prefix: 64 });
  const authenticator = new Authenticator(users, verifier, penalty, limits, options.logger ?? silentLogger(), settings);
  return { users, verifier, penalty, authenticator, settings, limits };
}

/** A SCRAM client (RFC 5802 §3), to drive the server mechanism in tests. */
export class ScramClient {
  readonly nonce = randomBytes(12).toString('base64');
  private clientFirstBare = '';
  private serverSignature: Buffer | undefined;

  constructor(
    private readonly hash: 'sha1' | 'sha256',
    private readonly user: string,
    private readonly password: string,
    private readonly gs2 = 'n,,',
  ) {}

  first(): Buffer {
    this.clientFirstBare = `n=${this.user.replace(/=/g, '=3D').replace(/,/g, '=2C')},r=${this.nonce}`;
    return Buffer.from(this.gs2 + this.clientFirstBare);
  }

  final(serverFirst: Buffer, tamper = false): Buffer {
    const text = serverFirst.toString();
    const attrs = Object.fromEntries(text.split(',').map((kv) => [kv[0], kv.slice(2)]));
    const salted = pbkdf2Sync(this.password, Buffer.from(attrs.s!, 'base64'), Number(attrs.i), this.hash === 'sha1' ? 20 : 32, this.hash);
    const clientKey = createHmac(this.hash, salted).update('Client Key').digest();
    const storedKey = createHash(this.hash).update(clientKey).digest();
    const withoutProof = `c=${Buffer.from(this.gs2).toString('base64')},r=${attrs.r}`;
    const authMessage = `${this.clientFirstBare},${text},${withoutProof}`;
    const signature = createHmac(this.hash, storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
    if (tamper) proof[0] = proof[0]! ^ 1;
    const serverKey = createHmac(this.hash, salted).update('Server Key').digest();
    this.serverSignature = createHmac(this.hash, serverKey).update(authMessage).digest();
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`);
  }

  verifyServerFinal(data: Buffer): boolean {
    return data.toString() === `v=${this.serverSignature!.toString('base64')}`;
  }
}
