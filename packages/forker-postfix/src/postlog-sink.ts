/**
 * Logs into Postfix's own log through `/usr/sbin/postlog` (forker-protocols.md §1.10): fds 0–2 are
 * /dev/null under a detached master, and Node core cannot send the AF_UNIX datagrams of syslog or
 * postlogd. One long-lived `postlog -t <tag> -p info` is started **while still root** (Debian's
 * postlog is not setgid postdrop, and `public/postlog` is closed to others, §1.10), and each log line
 * is written to its stdin as Postfix-style text: `[warning: |error: |fatal: ]message key=value …`,
 * with `pid=` our own pid (the one in the log prefix is postlog's).
 * postlog runs in its own session, so `postfix stop`'s SIGTERM to master's process group does not
 * cut it before our last lines; it exits when we close its stdin (or exit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';

const SEVERITY: Record<number, string> = { 40: 'warning: ', 50: 'error: ', 60: 'fatal: ' };
const SKIPPED = new Set(['level', 'time', 'hostname', 'name', 'msg']);

/** Turns one pino JSON line into one Postfix log text (no newline); non-JSON text is passed through. */
export function formatForPostlog(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return oneLine(line);
  }
  const parts: string[] = [];
  const msg = typeof record.msg === 'string' ? record.msg : '';
  if (msg) parts.push(msg);
  for (const [k, v] of Object.entries(record)) {
    if (SKIPPED.has(k) || v === undefined) continue;
    parts.push(`${k}=${valueText(v)}`);
  }
  const severity = SEVERITY[typeof record.level === 'number' ? record.level : 30] ?? '';
  return oneLine(severity + parts.join(' '));
}

function valueText(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[\s"]/.test(s) ? JSON.stringify(s) : s;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

/** The syslog tag: `syslog_name` when set, else `$MAIL_LOGTAG/<service>` (`postfix/login-imap`). */
export function postlogTag(syslogName: string, service: string, env: NodeJS.ProcessEnv = process.env): string {
  if (syslogName.trim()) return syslogName.trim();
  const base = service.split('/').filter(Boolean).at(-1) ?? 'pigeondeliver';
  return `${env.MAIL_LOGTAG || 'postfix'}/${base}`;
}

/** A log destination (pino writes one JSON line per call). */
export interface LogSink {
  write(line: string): void;
  /** Flushes and lets go of the destination (bounded wait). */
  close(): Promise<void>;
}

/** See the file comment. Falls back to stderr (useful under `master -d`) if postlog cannot be started. */
export class PostlogSink implements LogSink {
  private child?: ChildProcess;
  private failed = false;

  constructor(program: string, tag: string) {
    try {
      const child = spawn(program, ['-t', tag, '-p', 'info'], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
      child.once('error', () => (this.failed = true));
      child.stdin!.on('error', () => (this.failed = true));
      child.unref();
      (child.stdin as unknown as { unref?: () => void }).unref?.();
      this.child = child;
    } catch {
      this.failed = true;
    }
  }

  write(line: string): void {
    const text = formatForPostlog(line);
    if (!text) return;
    if (this.failed || !this.child?.stdin || this.child.stdin.destroyed) {
      writeStderr(line);
      return;
    }
    this.child.stdin.write(text + '\n');
  }

  close(): Promise<void> {
    const child = this.child;
    if (!child?.stdin || child.stdin.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 1000);
      timer.unref();
      child.stdin!.end(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Writes JSON lines to fd 2 (master -d, tests): the fallback and the `postfix_postlog=` (empty) choice. */
export class StderrSink implements LogSink {
  write(line: string): void {
    writeStderr(line);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function writeStderr(line: string): void {
  try {
    writeSync(2, line.endsWith('\n') ? line : line + '\n');
  } catch {
    /* /dev/null or closed: nowhere to log */
  }
}
