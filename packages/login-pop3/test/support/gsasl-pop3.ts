/**
 * Runs a real `gsasl` client against a POP3 server. gsasl 2.x speaks only IMAP and SMTP framing
 * (`--imap`, `--smtp`), so its plain stdin/stdout mode computes the SASL messages and this driver
 * carries them in POP3 framing (RFC 5034): `AUTH <mech> [initial response]`, `+ <challenge>`, lines
 * of base64. Every SASL byte (client proofs, checks of the server's SCRAM signature) is gsasl's.
 */
import { spawn } from 'node:child_process';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import { connectLoopback } from '@pigeondeliver/test-fixtures/loopback-server';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';

/** How the exchange ended. */
export interface GsaslPop3Result {
  /** The server's final line (`+OK Logged in.`, `-ERR [AUTH] ...`), or the failure. */
  readonly final: string;
  readonly ok: boolean;
  /** gsasl's diagnostics. */
  readonly stderr: string;
}

/** Reads stdout lines of a child one at a time; `undefined` once it exited. */
class LineQueue {
  private lines: string[] = [];
  private partial = '';
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(stream: NodeJS.ReadableStream, onEnd: Promise<unknown>) {
    stream.on('data', (chunk: Buffer) => {
      const parts = (this.partial + chunk.toString('latin1')).split('\n');
      this.partial = parts.pop()!;
      this.lines.push(...parts);
      this.wake?.();
    });
    void onEnd.then(() => {
      this.ended = true;
      this.wake?.();
    });
  }

  async next(timeoutMs = 10000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0 && !this.ended) {
      if (Date.now() > deadline) throw new Error('gsasl produced no output in time');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.wake = () => {
          clearTimeout(t);
          this.wake = undefined;
          resolve();
        };
      });
    }
    return this.lines.shift();
  }
}

/** Authenticates with `mechanism` as user/password on 127.0.0.1:port, optionally after STLS. */
export async function gsaslPop3(
  port: number,
  mechanism: string,
  user: string,
  password: string,
  tls?: { ca: string },
): Promise<GsaslPop3Result> {
  const raw = await connectLoopback(port);
  let stream: Duplex = raw;
  let server = new ScriptedClient(stream, 10000);
  try {
    const greeting = await server.readLine();
    if (!greeting.startsWith('+OK')) return { final: greeting, ok: false, stderr: '' };
    // --no-cb: gsasl cannot see a TLS session it did not make (without it, it prompts for channel-binding data).
    const gsaslArgs = ['--client', '--quiet', '--no-cb', '-m', mechanism, '-a', user, '-p', password];
    if (tls) {
      server.send('STLS');
      const reply = await server.readLine();
      if (!reply.startsWith('+OK')) return { final: reply, ok: false, stderr: '' };
      raw.removeAllListeners('data');
      const secure = tlsConnect({ socket: raw, ca: tls.ca, servername: 'localhost' });
      await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
      stream = secure;
      server = new ScriptedClient(stream, 10000);
    }
    const child = spawn('gsasl', gsaslArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const out = new LineQueue(child.stdout, exited);
    try {
      const named = await out.next();
      if (named !== mechanism) return { final: `gsasl chose ${named}`, ok: false, stderr };
      const initial = await out.next();
      server.send(initial ? `AUTH ${mechanism} ${initial}` : `AUTH ${mechanism}`);
      for (;;) {
        const line = await server.readLine();
        if (!line.startsWith('+ ') && line !== '+') return { final: line, ok: line.startsWith('+OK'), stderr };
        child.stdin.write(`${line.slice(2)}\n`);
        const answer = await out.next();
        if (answer === undefined) {
          // gsasl ended: with 0 once it checked the server's last data, else it refused it.
          const code = await exited;
          if (code !== 0) return { final: `gsasl exited with ${code}`, ok: false, stderr };
        }
        server.send(answer ?? '');
      }
    } finally {
      child.stdin.end();
      child.kill();
    }
  } finally {
    stream.destroy();
    raw.destroy();
  }
}
