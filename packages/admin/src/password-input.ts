/**
 * Reads a password without ever taking it from argv: from a terminal prompt with echo off, or the
 * first line of standard input when it is not a terminal (scripts: `printf '%s\n' "$pw" | pd-admin ...`).
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** Where the password comes from. */
export interface PasswordSource {
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Largest password accepted from standard input (bytes): bounded input. */
export const MAX_PASSWORD_INPUT = 4096;

/** Reads one password; `confirm` asks twice on a terminal. Rejects on empty input. */
export async function readPassword(source: PasswordSource, prompt: string, confirm = false): Promise<string> {
  if (source.stdin.isTTY) {
    const first = await promptHidden(source, prompt);
    if (confirm) {
      const second = await promptHidden(source, 'Again: ');
      if (first !== second) throw new PasswordInputError('the two passwords differ');
    }
    if (first.length === 0) throw new PasswordInputError('empty password');
    return first;
  }
  const line = await readFirstLine(source.stdin);
  if (line.length === 0) throw new PasswordInputError('no password on standard input (give it as the first line)');
  return line;
}

/** Bad or missing password input. */
export class PasswordInputError extends Error {}

function promptHidden(source: PasswordSource, prompt: string): Promise<string> {
  source.stderr.write(prompt);
  const muted = new Writable({ write: (_chunk, _enc, cb) => cb() });
  const rl = createInterface({ input: source.stdin, output: muted, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      source.stderr.write('\n');
      resolve(answer);
    });
  });
}

function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (text: string) => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      (stream as NodeJS.ReadStream).pause?.();
      resolve(text);
    };
    const onData = (chunk: Buffer | string) => {
      buf = Buffer.concat([buf, Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)]);
      const nl = buf.indexOf(0x0a);
      if (nl >= 0) return done(buf.subarray(0, nl).toString('utf8').replace(/\r$/, ''));
      if (buf.length > MAX_PASSWORD_INPUT) {
        stream.removeListener('data', onData);
        reject(new PasswordInputError(`password input longer than ${MAX_PASSWORD_INPUT} bytes`));
      }
    };
    const onEnd = () => done(buf.toString('utf8').replace(/\r?\n?$/, ''));
    const onError = (e: Error) => reject(e);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
