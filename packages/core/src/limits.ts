/**
 * Every limit a client or the database can hit, with its option key, default and the reply sent when
 * it is hit (Dovecot `client-common.h` style). One object, read from options once per process.
 */
import { durationOption, intOption, sizeOption, type OptionSpec, type ResolvedOptions } from './options.js';

/** The limits in force for a process. Durations are in milliseconds, sizes in bytes. */
export interface Limits {
  /**
   * Longest command line before login (bytes, CRLF included). Hit: IMAP `* BYE Line too long`,
   * POP3 `-ERR Line too long`, connection closed. Default 8k (RFC 7162 §4 suggests ≥ 8192).
   */
  readonly maxLineLength: number;
  /** Largest IMAP literal before login. Hit: `tag BAD [TOOBIG] Literal too large` (non-synchronizing: BYE). Default 8k. */
  readonly maxLiteralSize: number;
  /** Invalid or wrong-state commands before the connection is dropped. Hit: `* BYE Too many invalid commands` / `-ERR`. Default 10. */
  readonly maxBadCommands: number;
  /** Failed authentications per connection. Hit: `* BYE Too many authentication failures` / `-ERR [AUTH]`. Default 3. */
  readonly maxAuthAttempts: number;
  /** Commands of any kind before login. Hit: `* BYE Too many commands` / `-ERR`. Default 50. */
  readonly maxCommands: number;
  /** Total time allowed from connect to login. Hit: `* BYE Login timeout` / `-ERR Login timeout`. Default 3m (Dovecot's). */
  readonly loginTimeout: number;
  /** Silence allowed before login. Hit: `* BYE Disconnected for inactivity` / `-ERR`. Default 1m. */
  readonly idleTimeout: number;
  /** Time for one credential check including the database. Hit: `NO [UNAVAILABLE]` / `-ERR [SYS/TEMP]`. Default 30s. */
  readonly authTimeout: number;
  /** Time for a backend to take a session over. Hit: `NO [UNAVAILABLE]` / `-ERR [SYS/TEMP]`. Default 15s. */
  readonly backendTimeout: number;
  /** First failure penalty delay (doubles per failure). Default 2s. */
  readonly penaltyInitial: number;
  /** Cap of the failure penalty delay. Default 15s. */
  readonly penaltyMax: number;
  /** How long a client address's failures are remembered. Default 15m. */
  readonly penaltyMemory: number;
  /** Database query timeout; hit: temporary failure. Default 5s. */
  readonly databaseTimeout: number;
}

/** The option specs behind {@link Limits}, one per field. */
export const LIMIT_OPTIONS = {
  maxLineLength: sizeOption('login_max_line_length', 'longest command line before login, CRLF included', '8k', { min: 512 }),
  maxLiteralSize: sizeOption('login_max_literal_size', 'largest IMAP literal accepted before login', '8k', { min: 256 }),
  maxBadCommands: intOption('login_max_bad_commands', 'invalid commands before the connection is closed', 10, { min: 1 }),
  maxAuthAttempts: intOption('login_max_auth_attempts', 'failed authentications per connection before it is closed', 3, { min: 1 }),
  maxCommands: intOption('login_max_commands', 'commands of any kind allowed before login', 50, { min: 5 }),
  loginTimeout: durationOption('login_timeout', 'time allowed from connect to login', '3m'),
  idleTimeout: durationOption('login_idle_timeout', 'silence allowed before login', '1m'),
  authTimeout: durationOption('auth_timeout', 'time for one credential check including the database', '30s'),
  backendTimeout: durationOption('backend_timeout', 'time for a backend to take a session over', '15s'),
  penaltyInitial: durationOption('auth_penalty_initial', 'delay after the first failed login from an address (doubles each time)', '2s'),
  penaltyMax: durationOption('auth_penalty_max', 'cap of the failed-login delay', '15s'),
  penaltyMemory: durationOption('auth_penalty_memory', 'how long failed logins from an address are remembered', '15m'),
  databaseTimeout: durationOption('database_timeout', 'database query timeout (a timeout is a temporary failure)', '5s'),
} satisfies Record<keyof Limits, OptionSpec<number>>;

/** Reads the limits from validated options. */
export function limitsFromOptions(options: ResolvedOptions): Limits {
  const out: Record<string, number> = {};
  for (const [field, spec] of Object.entries(LIMIT_OPTIONS)) out[field] = options.get(spec);
  return out as unknown as Limits;
}

/** The defaults, for tests and documentation. */
export const DEFAULT_LIMITS: Limits = Object.fromEntries(
  Object.entries(LIMIT_OPTIONS).map(([field, spec]) => [field, spec.parse(spec.defaultValue!)]),
) as unknown as Limits;
