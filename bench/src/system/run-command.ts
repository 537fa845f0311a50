/** Runs a short helper command (openssl, useradd, pd-admin, doveadm) and returns its stdout. */
import { spawn } from 'node:child_process';

/** Runs `argv` with optional stdin; rejects with its stderr when it exits non-zero. */
export function runCommand(argv: readonly string[], input?: string, timeoutMs = 60_000): Promise<string> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('bench: empty command'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`bench: ${file} ${args.join(' ')} exited ${code}: ${err.trim()}`));
    });
    // A command that exits without reading its input must not turn into an EPIPE crash.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
