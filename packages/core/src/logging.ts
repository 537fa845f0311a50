/**
 * Logging: pino, JSON lines on stderr (stdout may be the client's socket), one `session` id on every
 * per-connection line. Secrets never reach a log: known secret fields are redacted, and protocol code
 * logs commands through `redactCommand` from login-common.
 */
import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';
import { BatchedLogWriter } from './batched-log-writer.js';

/** The logger type every package uses. */
export type Logger = PinoLogger;

/** Field names whose values are always replaced by `[redacted]`, wherever they appear two levels deep. */
export const REDACTED_FIELDS = ['password', 'pass', 'secret', 'saslPayload', 'response', 'credentials', 'privateKey', 'newPassword'];

/** Settings for {@link createLogger}. */
export interface LoggerSettings {
  readonly level: LevelWithSilent;
  /** Program name, on every line (`pd-forker-listen`). */
  readonly name: string;
  /** File descriptor to write to; default 2 (stderr). Ignored when `destination` is given. */
  readonly fd?: number;
  /**
   * Where JSON lines go instead of a descriptor (one `write` per line): a forker whose stderr is not a
   * log (Postfix master: /dev/null; inetd nowait: the client) passes its own writer.
   */
  readonly destination?: { write(line: string): unknown };
}

/**
 * Creates the process's root logger. Without a `destination`, the lines of one event-loop turn go out
 * together at the end of the turn ({@link BatchedLogWriter}).
 */
export function createLogger(settings: LoggerSettings): Logger {
  const paths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`]);
  return pino(
    {
      name: settings.name,
      level: settings.level,
      base: { pid: process.pid },
      redact: { paths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    settings.destination ?? new BatchedLogWriter(settings.fd ?? 2),
  );
}

/** A logger that discards everything (tests, `--quiet`). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
