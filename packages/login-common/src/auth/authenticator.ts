/**
 * The authenticator (core IAuthenticator): one user lookup per attempt, password check off the event
 * loop (the passwords package does that), the same work and reply for unknown users, temporary
 * failure (never "bad password") when the database is down or slow, the per-address penalty and one
 * log line per attempt without any secret.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  AuthResult,
  ILimits,
  ILogger,
  IUserRepository,
  inject,
  injectable,
  type AuthOutcome,
  type AuthRequest,
  type IAuthenticator,
  type Limits,
  type Logger,
  type UserRecord,
} from '@pigeondeliver/core';
import type { LoginCommonSettings } from '../login-common-settings.js';
import type { PrefetchResult } from '../sasl/sasl-mechanism.js';
import { ILoginCommonSettings, IPasswordVerifier, IPenaltyTracker } from '../tokens.js';
import type { PenaltyTracker } from './penalty-tracker.js';

/** An {@link AuthRequest} whose user was already looked up by the mechanism (SCRAM), so it is not looked up twice. */
export interface PrefetchedAuthRequest extends AuthRequest {
  readonly prefetched?: PrefetchResult;
}

/** Longest login written to a log line (a client may send 8k of garbage). */
const MAX_LOGGED_LOGIN = 256;

class AuthTimeoutError extends Error {
  constructor(ms: number) {
    super(`user lookup or password check timed out after ${ms} ms`);
  }
}

/** Implements core's IAuthenticator over IUserRepository and IPasswordVerifier. */
@injectable()
export class Authenticator implements IAuthenticator {
  /** Keys the (user, password) fingerprints of the penalty; never leaves the process. */
  private readonly fingerprintKey = randomBytes(32);

  constructor(
    @inject(IUserRepository) private readonly users: IUserRepository,
    @inject(IPasswordVerifier) private readonly verifier: IPasswordVerifier,
    @inject(IPenaltyTracker) private readonly penalty: PenaltyTracker,
    @inject(ILimits) private readonly limits: Limits,
    @inject(ILogger) private readonly logger: Logger,
    @inject(ILoginCommonSettings) private readonly settings: LoginCommonSettings,
  ) {}

  async authenticate(request: PrefetchedAuthRequest): Promise<AuthOutcome> {
    const started = Date.now();
    const address = request.remote.address;
    const penaltyMs = request.trusted ? 0 : this.penalty.delayFor(address);
    if (penaltyMs > 0) await new Promise((r) => setTimeout(r, penaltyMs));

    let outcome: AuthOutcome;
    try {
      outcome = await this.withTimeout(this.check(request));
    } catch (e) {
      const reason = e instanceof AuthTimeoutError ? `authentication timed out after ${this.limits.authTimeout} ms` : `temporary failure: ${describe(e)}`;
      outcome = { result: AuthResult.TempFail, reason };
    }

    if (!request.trusted) {
      if (outcome.result === AuthResult.BadCredentials) this.penalty.recordFailure(address, this.fingerprint(request));
      else if (outcome.result === AuthResult.Ok) this.penalty.recordSuccess(address);
    }
    if (outcome.result === AuthResult.Ok && outcome.user) {
      this.users.recordLogin(outcome.user.login, address, new Date()).catch((e: unknown) =>
        this.logger.debug({ session: request.sessionId, err: describe(e) }, 'could not record the login time'),
      );
    }
    this.logger.info(
      {
        session: request.sessionId,
        event: 'auth',
        protocol: request.protocol,
        user: request.login.slice(0, MAX_LOGGED_LOGIN),
        mechanism: request.mechanism,
        client: `${request.remote.address}:${request.remote.port}`,
        local: `${request.local.address}:${request.local.port}`,
        tls: request.secured,
        trusted: request.trusted,
        result: outcome.result,
        reason: outcome.reason,
        penaltyMs,
        durationMs: Date.now() - started,
      },
      `authentication ${outcome.result}`,
    );
    return outcome;
  }

  async storedPassword(login: string): Promise<{ user: UserRecord; password: string | null } | undefined> {
    const user = await this.withTimeout(this.users.lookup(login));
    return user ? { user, password: user.password } : undefined;
  }

  private async check(request: PrefetchedAuthRequest): Promise<AuthOutcome> {
    const user = await this.lookup(request);
    const credentials = request.credentials;
    let ok: boolean;
    if (credentials.kind === 'password') {
      if (!user || user.password === null) {
        // Same work for unknown users (and users without a password): no timing oracle.
        await this.verifier.verify(this.settings.dummyPasswordHash, credentials.password, request.login).catch(() => false);
        return { result: AuthResult.BadCredentials, reason: user ? 'user has no password' : 'unknown user' };
      }
      ok = await this.verifier.verify(user.password, credentials.password, user.login);
    } else if (credentials.kind === 'custom') {
      ok = user !== undefined && (await credentials.check(user.password, user));
    } else {
      ok = user !== undefined;
    }
    if (!user) return { result: AuthResult.BadCredentials, reason: 'unknown user' };
    if (!ok) return { result: AuthResult.BadCredentials, reason: 'wrong credentials' };
    // Only after the credentials are proven does the client learn about the account's state.
    if (!user.enabled) return { result: AuthResult.UserDisabled, reason: 'user disabled' };
    if (request.protocol === 'imap' ? !user.allowImap : !user.allowPop3) {
      return { result: AuthResult.ProtocolNotAllowed, reason: `${request.protocol} not allowed for this user` };
    }
    return { result: AuthResult.Ok, user };
  }

  private async lookup(request: PrefetchedAuthRequest): Promise<UserRecord | undefined> {
    const pre = request.prefetched;
    if (!pre) return this.users.lookup(request.login);
    if (pre.status === 'failed') throw new Error(pre.reason);
    return pre.status === 'found' ? pre.user : undefined;
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AuthTimeoutError(this.limits.authTimeout)), this.limits.authTimeout);
    });
    work.catch(() => undefined); // a late rejection after the timeout is not unhandled
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  /** Identifies a (user, password) pair for the penalty without keeping the password. */
  private fingerprint(request: AuthRequest): string | undefined {
    if (request.credentials.kind !== 'password') return undefined;
    return createHmac('sha256', this.fingerprintKey).update(request.login).update('\0').update(request.credentials.password).digest('hex').slice(0, 32);
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
