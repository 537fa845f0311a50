import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createSocketPair } from '@pigeondeliver/core';
import { LoginSocketError, sendLoginRequest } from '@pigeondeliver/backend-dovecot';

/**
 * A stand-in for a Dovecot login socket, in Python (which, unlike Node, receives SCM_RIGHTS): it
 * accepts one connection, reads the request with its descriptor, writes "via the passed descriptor"
 * into that descriptor, then answers as `mode` says. Prints "ready" once listening and the request's
 * length once received.
 */
const FAKE_LOGIN_SOCKET = `
import signal, socket, sys, struct, time
signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # a client that left: end quietly
path, mode = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(4)
print("ready", flush=True)
c, _ = s.accept()
data, fds, _, _ = socket.recv_fds(c, 4096, 1)
print(len(data), len(fds), flush=True)
for fd in fds:
    socket.socket(fileno=fd).sendall(b"via the passed descriptor\\n")
reply = struct.pack("=IIi", 7, 0, 4242)
if mode == "ok":
    c.sendall(reply)
elif mode == "split":
    c.sendall(reply[:5]); time.sleep(0.05); c.sendall(reply[5:])
elif mode == "close":
    c.close()
elif mode == "silent":
    time.sleep(5)
time.sleep(0.2)
`;

describe('sendLoginRequest (the addon\'s login socket client)', function () {
  this.timeout(20000);
  let dir: string;
  let fake: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pd-login-sock-'));
  });
  afterEach(() => {
    fake?.kill('SIGKILL');
    fake = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the fake on a fresh path; resolves once it listens, with its output lines. */
  async function startFake(mode: string): Promise<{ path: string; lines: string[] }> {
    const path = join(dir, 'login');
    fake = spawn('python3', ['-c', FAKE_LOGIN_SOCKET, path, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    const rl = createInterface({ input: fake.stdout! });
    await new Promise<void>((resolve, reject) => {
      rl.on('line', (l) => {
        lines.push(l);
        if (l === 'ready') resolve();
      });
      fake!.once('exit', (code) => reject(new Error(`fake login socket exited (${code})`)));
    });
    return { path, lines };
  }

  it('sends the request with the descriptor and decodes the reply (also when it arrives in parts)', async () => {
    for (const mode of ['ok', 'split']) {
      const { path, lines } = await startFake(mode);
      const pair = await createSocketPair();
      const received = new Promise<string>((resolve) => pair.ours.once('data', (d: Buffer) => resolve(d.toString())));
      const fd = (pair.theirs as unknown as { _handle: { fd: number } })._handle.fd;
      const reply = await sendLoginRequest(path, Buffer.alloc(120, 1), fd, 5000);
      expect(reply).to.deep.equal({ tag: 7, status: 0, mailPid: 4242 });
      expect(await received).to.equal('via the passed descriptor\n');
      expect(lines).to.include('120 1');
      pair.ours.destroy();
      pair.theirs.destroy();
      fake?.kill('SIGKILL');
      rmSync(path, { force: true });
    }
  });

  it('a close before the reply, or no reply in time, is a LoginSocketError with sent = true', async () => {
    const pair = await createSocketPair();
    const fd = (pair.theirs as unknown as { _handle: { fd: number } })._handle.fd;
    try {
      const closing = await startFake('close');
      const closed = await sendLoginRequest(closing.path, Buffer.alloc(100), fd, 5000).catch((e: unknown) => e);
      expect(closed).to.be.instanceOf(LoginSocketError);
      expect((closed as LoginSocketError).sent).to.equal(true);
      expect((closed as Error).message).to.match(/closed before the whole reply arrived .*process_limit/);
      fake?.kill('SIGKILL');
      rmSync(closing.path, { force: true });

      const silent = await startFake('silent');
      const started = Date.now();
      const late = await sendLoginRequest(silent.path, Buffer.alloc(100), fd, 150).catch((e: unknown) => e);
      expect(late).to.be.instanceOf(LoginSocketError);
      expect((late as LoginSocketError).sent).to.equal(true);
      expect((late as Error).message).to.match(/did not answer the hand-off .* within 150 ms/);
      expect(Date.now() - started).to.be.lessThan(4000);
    } finally {
      pair.ours.destroy();
      pair.theirs.destroy();
    }
  });

  it('a missing socket, a bad descriptor or an over-long path is refused before anything is sent', async () => {
    const pair = await createSocketPair();
    const fd = (pair.theirs as unknown as { _handle: { fd: number } })._handle.fd;
    try {
      const missing = await sendLoginRequest(join(dir, 'nothing-here'), Buffer.alloc(100), fd, 1000).catch((e: unknown) => e);
      expect(missing).to.be.instanceOf(LoginSocketError);
      expect((missing as LoginSocketError).sent).to.equal(false);
      expect((missing as Error).message).to.match(/cannot hand off to .*nothing-here.*is Dovecot running/);
      const { path } = await startFake('ok');
      const badFd = await sendLoginRequest(path, Buffer.alloc(100), 1_000_000, 1000).catch((e: unknown) => e);
      expect((badFd as LoginSocketError).sent).to.equal(false);
      expect((badFd as Error).message).to.match(/sendmsg/);
      const long = await sendLoginRequest(`/${'x'.repeat(200)}`, Buffer.alloc(100), fd, 1000).catch((e: unknown) => e);
      expect((long as LoginSocketError).sent).to.equal(false);
      expect((long as Error).message).to.match(/longer than a Unix socket address holds/);
      // 107 bytes is the longest path a Unix socket address holds: tried (and not found), not refused.
      const longest = await sendLoginRequest(`/${'x'.repeat(106)}`, Buffer.alloc(100), fd, 1000).catch((e: unknown) => e);
      expect((longest as LoginSocketError).sent).to.equal(false);
      expect((longest as Error).message).to.match(/No such file or directory/);
    } finally {
      pair.ours.destroy();
      pair.theirs.destroy();
    }
  });
});
