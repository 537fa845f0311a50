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

const REDACTED = new Set(REDACTED_FIELDS);
const CENSOR = '[redacted]';

const CENSORING_SERIALIZERS: Record<string, () => string> = Object.fromEntries(REDACTED_FIELDS.map((f) => [f, () => CENSOR]));

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Error);

/**
 * `fields` with the value of every {@link REDACTED_FIELDS} key replaced by `[redacted]`, at the top
 * level and one level down (the paths `f` and `*.f` of pino's `redact`); the object itself when it
 * holds none, else a copy (the caller's object is never changed). pino's path-based `redact` cost
 * about 20 us per line with these 16 paths (half of them wildcards), this about 1 us, and a login
 * writes several lines (docs/performance.md, handoff mode).
 */
export function redactSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  let out = fields;
  for (const key in fields) {
    const value = fields[key];
    if (REDACTED.has(key)) {
      if (out === fields) out = { ...fields };
      out[key] = CENSOR;
    } else if (isPlainObject(value)) {
      let inner: Record<string, unknown> | undefined;
      for (const k in value) {
        if (!REDACTED.has(k)) continue;
        inner ??= { ...value };
        inner[k] = CENSOR;
      }
      if (inner) {
        if (out === fields) out = { ...fields };
        out[key] = inner;
      }
    }
  }
  return out;
}

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
  return pino(
    {
      name: settings.name,
      level: settings.level,
      base: { pid: process.pid },
      // Lines: redactSecrets. Child bindings (pino applies no `log` formatter to them): a serializer
      // per secret field name, which pino applies to top-level binding keys.
      formatters: { log: redactSecrets },
      serializers: CENSORING_SERIALIZERS,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    settings.destination ?? new BatchedLogWriter(settings.fd ?? 2),
  );
}

/** A logger that discards everything (tests, `--quiet`). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
