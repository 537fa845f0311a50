/**
 * Fakes around authentication: an in-memory user repository (with an outage switch and a delay), a
 * password verifier for `{PLAIN}` / bare plaintext passwords that also serves CRAM-MD5 and SCRAM
 * (structurally a login-common IPasswordVerifier), and a scripted authenticator.
 */
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import {
  AuthResult,
  ConflictError,
  DatabaseUnavailableError,
  NotFoundError,
  type AuthOutcome,
  type AuthRequest,
  type IAuthenticator,
  type IUserRepository,
  type NewUser,
  type UserChanges,
  type UserRecord,
} from '@pigeondeliver/core';
import { testUserRecord } from './preauth-server.js';

/** Users in a Map; `unavailable` makes every call throw DatabaseUnavailableError, `delayMs` slows lookups. */
export class MemoryUserRepository implements IUserRepository {
  readonly users = new Map<string, UserRecord>();
  unavailable = false;
  delayMs = 0;
  lookups = 0;
  readonly loginsRecorded: Array<{ login: string; address: string }> = [];

  constructor(users: ReadonlyArray<Partial<UserRecord> & { login: string }> = []) {
    for (const u of users) this.users.set(u.login.toLowerCase(), testUserRecord(u));
  }

  private async gate(): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.unavailable) throw new DatabaseUnavailableError('fake database is down');
  }

  async lookup(login: string): Promise<UserRecord | undefined> {
    this.lookups++;
    await this.gate();
    return this.users.get(login.toLowerCase());
  }
  async list(prefix = ''): Promise<UserRecord[]> {
    await this.gate();
    return [...this.users.values()].filter((u) => u.login.startsWith(prefix)).sort((a, b) => a.login.localeCompare(b.login));
  }
  async create(user: NewUser): Promise<UserRecord> {
    await this.gate();
    if (this.users.has(user.login.toLowerCase())) throw new ConflictError(`user ${user.login} exists`);
    const rec = testUserRecord(user as Partial<UserRecord> & { login: string });
    this.users.set(user.login.toLowerCase(), rec);
    return rec;
  }
  async update(login: string, _expectedVersion: number, changes: UserChanges): Promise<UserRecord> {
    await this.gate();
    const u = this.users.get(login.toLowerCase());
    if (!u) throw new NotFoundError(`no user ${login}`);
    const next = { ...u, ...changes, version: u.version + 1 } as UserRecord;
    this.users.set(login.toLowerCase(), next);
    return next;
  }
  async remove(login: string): Promise<boolean> {
    await this.gate();
    return this.users.delete(login.toLowerCase());
  }
  async recordLogin(login: string, address: string): Promise<void> {
    this.loginsRecorded.push({ login, address });
  }
}

/** The plaintext of `{PLAIN}x`, `{CLEAR}x` or a bare `x`; undefined for other schemes. */
function plaintext(stored: string): Buffer | undefined {
  const m = /^\{([A-Z0-9.-]+)\}(.*)$/s.exec(stored);
  if (!m) return Buffer.from(stored, 'utf8');
  return ['PLAIN', 'CLEAR', 'CLEARTEXT'].includes(m[1]!) ? Buffer.from(m[2]!, 'utf8') : undefined;
}

/** Verifies plaintext stored passwords; `{FAIL}` makes verify reject (an unusable hash). */
export class PlaintextPasswordVerifier {
  verifications = 0;

  async verify(stored: string, password: Buffer): Promise<boolean> {
    this.verifications++;
    if (stored.startsWith('{FAIL}')) throw new Error('unusable stored hash (scheme FAIL)');
    const plain = plaintext(stored);
    return plain !== undefined && plain.equals(password);
  }

  async cramMd5Digest(stored: string, challenge: Buffer): Promise<Buffer | undefined> {
    const plain = plaintext(stored);
    return plain === undefined ? undefined : createHmac('md5', plain).update(challenge).digest();
  }

  async scramCredentials(
    stored: string,
    hash: 'SHA-1' | 'SHA-256',
  ): Promise<{ salt: Buffer; iterations: number; storedKey: Buffer; serverKey: Buffer } | undefined> {
    const plain = plaintext(stored);
    if (plain === undefined) return undefined;
    const alg = hash === 'SHA-1' ? 'sha1' : 'sha256';
    const salt = createHash('sha256').update(`salt:${stored}`).digest().subarray(0, 16);
    const iterations = 4096;
    const salted = pbkdf2Sync(plain, salt, iterations, hash === 'SHA-1' ? 20 : 32, alg);
    const clientKey = createHmac(alg, salted).update('Client Key').digest();
    return {
      salt,
      iterations,
      storedKey: createHash(alg).update(clientKey).digest(),
      serverKey: createHmac(alg, salted).update('Server Key').digest(),
    };
  }
}

/** Answers from a table login -> password -> result, and records each request (without the password). */
export class FakeAuthenticator implements IAuthenticator {
  readonly requests: Array<Omit<AuthRequest, 'credentials'> & { credentialKind: string }> = [];
  /** Forced result for every attempt (e.g. TempFail), when set. */
  forced: AuthResult | undefined;

  constructor(private readonly users: ReadonlyArray<{ user: UserRecord; password: string }> = []) {}

  async authenticate(request: AuthRequest): Promise<AuthOutcome> {
    const { credentials, ...rest } = request;
    this.requests.push({ ...rest, credentialKind: credentials.kind });
    if (this.forced) return { result: this.forced };
    const entry = this.users.find((u) => u.user.login === request.login);
    if (!entry) return { result: AuthResult.BadCredentials, reason: 'unknown user' };
    let ok = false;
    if (credentials.kind === 'password') ok = credentials.password.equals(Buffer.from(entry.password, 'utf8'));
    else if (credentials.kind === 'custom') ok = await credentials.check(`{PLAIN}${entry.password}`, entry.user);
    else ok = true;
    return ok ? { result: AuthResult.Ok, user: entry.user } : { result: AuthResult.BadCredentials, reason: 'wrong password' };
  }
}
