/**
 * Logs a child's stderr line by line with the session id, with a bound on line length so a child
 * that writes without newlines cannot make us buffer without limit.
 */
import type { Readable } from 'node:stream';
import type { Logger } from '../logging.js';

/** Longest stderr line kept; the rest of a longer line is dropped and the line marked as cut. */
export const MAX_STDERR_LINE = 4096;

/**
 * Reads `stream` and logs each line at info level on `log`. Calls `onLine` with each line too (the
 * launcher keeps the last one for its error message). The stream is not ref'd by this.
 */
export function logStderrLines(stream: Readable, log: Logger, onLine?: (line: string) => void): void {
  let pending = '';
  let cut = false;
  const emit = (line: string): void => {
    const text = line.replace(/\r$/, '');
    if (text.length === 0) return;
    log.info({ stderr: text }, 'backend stderr');
    onLine?.(text);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) {
      emit(cut ? `${part} [cut]` : part);
      cut = false;
    }
    if (pending.length > MAX_STDERR_LINE) {
      if (!cut) emit(`${pending.slice(0, MAX_STDERR_LINE)} [cut]`);
      pending = '';
      cut = true;
    }
  });
  stream.on('end', () => {
    if (pending.length > 0 && !cut) emit(pending);
  });
  stream.on('error', () => undefined);
}
