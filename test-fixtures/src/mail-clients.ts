/**
 * Real clients for backend integration tests: Python's imaplib and poplib (run as `python3`), a raw
 * socket session for pipelining, and a throw-away self-signed certificate made with `openssl`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when `cmd` runs (`cmd --version` or `cmd version` exits 0). */
export function haveCommand(cmd: string, args: readonly string[] = ['--version']): boolean {
  try {
    execFileSync(cmd, [...args], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const IMAP_SCRIPT = `
import imaplib, ssl, sys, json
host, port, tls, user = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1', sys.argv[4]
if tls:
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    M = imaplib.IMAP4_SSL(host, port, ssl_context=ctx, timeout=10)
else:
    M = imaplib.IMAP4(host, port, timeout=10)
M.login(user, 'secret')
typ, data = M.select('INBOX')
count = int(data[0])
body = None
if count > 0:
    typ, data = M.fetch('1', '(RFC822)')
    body = data[0][1].decode('latin1')
M.logout()
print(json.dumps({'count': count, 'body': body}))
`;

const POP3_SCRIPT = `
import poplib, ssl, sys, json
host, port, tls, user = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1', sys.argv[4]
if tls:
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    P = poplib.POP3_SSL(host, port, context=ctx, timeout=10)
else:
    P = poplib.POP3(host, port, timeout=10)
P.user(user)
P.pass_('secret')
count, size = P.stat()
lines = None
if count > 0:
    resp, raw, octets = P.retr(1)
    lines = [l.decode('latin1') for l in raw]
    P.dele(1)
P.quit()
print(json.dumps({'count': count, 'size': size, 'lines': lines}))
`;

function runPython<T>(script: string, args: readonly (string | number)[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', script, ...args.map(String)], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python client failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as T);
    });
  });
}

/** imaplib: LOGIN, SELECT INBOX, FETCH 1 (RFC822), LOGOUT. */
export function pythonImapSession(port: number, user: string, tls = false): Promise<{ count: number; body: string | null }> {
  return runPython(IMAP_SCRIPT, ['127.0.0.1', port, tls ? '1' : '0', user]);
}

/** poplib: USER/PASS, STAT, RETR 1 and DELE 1 when there is a message, QUIT. */
export function pythonPop3Session(port: number, user: string, tls = false): Promise<{ count: number; size: number; lines: string[] | null }> {
  return runPython(POP3_SCRIPT, ['127.0.0.1', port, tls ? '1' : '0', user]);
}

/** A raw client connection that collects what the server says. */
export interface RawSession {
  readonly socket: Socket;
  /** Everything received so far. */
  text(): string;
  /** Resolves with everything received once it matches `pattern`; rejects after `ms` or at the end. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  close(): void;
}

/** Connects to 127.0.0.1:`port`. */
export async function rawSession(port: number): Promise<RawSession> {
  const socket = tcpConnect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  let ended = false;
  const listeners = new Set<() => void>();
  socket.on('data', (d: Buffer) => {
    received += d.toString('latin1');
    for (const l of [...listeners]) l();
  });
  socket.on('close', () => {
    ended = true;
    for (const l of [...listeners]) l();
  });
  socket.on('error', () => undefined);
  return {
    socket,
    text: () => received,
    waitFor: (pattern, ms = 5000) =>
      new Promise<string>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(received)) {
            done();
            resolve(received);
          } else if (ended) {
            done();
            reject(new Error(`connection closed before ${pattern}; received ${JSON.stringify(received)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${pattern}; received ${JSON.stringify(received)}`));
        }, ms);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    close: () => socket.destroy(),
  };
}

/** A self-signed certificate for `localhost`, made with openssl (test only). */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pd-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost',
      '-days', '2', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Number of open descriptors of this process. */
export function openDescriptorCount(): number {
  return readdirSync('/proc/self/fd').length;
}
