import type { Endpoint } from './endpoint.js';
import type { UserRecord } from './user.js';

/** Mail protocol of a login. */
export type MailProtocol = 'imap' | 'pop3';

/**
 * Outcome of one authentication attempt, modelled on Dovecot's `client_auth_result`.
 * Each login package maps it to its reply (IMAP RFC 5530 codes, POP3 RFC 3206 codes).
 */
export enum AuthResult {
  /** Credentials verified, user enabled and allowed for the protocol. */
  Ok = 'ok',
  /** Unknown user or wrong credentials (indistinguishable to the client). */
  BadCredentials = 'bad-credentials',
  /** The account is disabled. */
  UserDisabled = 'user-disabled',
  /** The account may not use this protocol (allow_imap / allow_pop3). */
  ProtocolNotAllowed = 'protocol-not-allowed',
  /** Database down, timeout, unusable stored hash: try again later. */
  TempFail = 'tempfail',
}

/**
 * How the presented credentials are checked against the stored password. `password` covers
 * LOGIN, PLAIN, USER/PASS; `custom` lets a challenge-response mechanism (CRAM-MD5, SCRAM, APOP) check
 * its proof against the stored value itself.
 */
export type CredentialCheck =
  | { readonly kind: 'password'; readonly password: Buffer }
  | {
      readonly kind: 'custom';
      /** Resolves true when the proof matches `storedPassword` (`{SCHEME}` string, may be null). */
      check(storedPassword: string | null, user: UserRecord): Promise<boolean>;
    }
  | {
      /** The identity was already proven outside the password (TLS client certificate, SASL EXTERNAL). */
      readonly kind: 'external';
    };

/** One authentication attempt. */
export interface AuthRequest {
  readonly sessionId: string;
  readonly protocol: MailProtocol;
  /** SASL mechanism name or `LOGIN`/`USER`/`APOP` for the protocol's own commands. */
  readonly mechanism: string;
  /** The login name as the client gave it (authentication identity). */
  readonly login: string;
  readonly credentials: CredentialCheck;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  readonly secured: boolean;
  /** The client is on a trusted network (no penalty, may forward addresses). */
  readonly trusted: boolean;
}

/** What an attempt produced. */
export interface AuthOutcome {
  readonly result: AuthResult;
  /** Present exactly when `result` is {@link AuthResult.Ok}. */
  readonly user?: UserRecord;
  /** Human-readable reason for the log (never shown to the client, never a secret). */
  readonly reason?: string;
}

/** Checks credentials with one repository lookup, applies the failure penalty, logs the attempt. */
export interface IAuthenticator {
  authenticate(request: AuthRequest): Promise<AuthOutcome>;
  /**
   * The stored password of a login for mechanisms that must read it before the client's proof
   * (SCRAM needs salt and iteration count for its first server message). Same lookup rules as
   * `authenticate`; resolves undefined for unknown users (the mechanism then fakes a salt).
   */
  storedPassword?(login: string): Promise<{ user: UserRecord; password: string | null } | undefined>;
}
