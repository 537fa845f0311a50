/**
 * Smoke test of `npm run bench -- --quick`: it runs end to end against the real servers and writes a JSON
 * with every section. No timing is asserted: the benchmark reports, it does not gate CI.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const benchRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const main = join(benchRoot, 'dist', 'main.js');

function missingTool(): string | undefined {
  if (process.getuid?.() !== 0) return 'the benchmark runs the private Dovecot as root';
  if (!existsSync('/usr/sbin/dovecot') && !existsSync('/usr/bin/dovecot')) return 'dovecot is not installed';
  return undefined;
}

describe('bench main --quick @integration', function () {
  this.timeout(180_000);
  let dir: string;

  before(async function () {
    const missing = missingTool();
    if (missing !== undefined) {
      if (process.env['CI'] === 'true') throw new Error(`bench smoke test cannot run: ${missing}`);
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    dir = await mkdtemp(join(tmpdir(), 'pd-bench-test-'));
  });

  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('writes a JSON with every section', async () => {
    const json = join(dir, 'results.json');
    const code = await new Promise<number | null>((done) => {
      const child = spawn(process.execPath, [main, '--quick', '--no-docs', '--json', json], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('exit', done);
    });
    expect(code).to.equal(0);
    const results = JSON.parse(await readFile(json, 'utf8')) as Record<string, unknown>;
    for (const section of ['machine', 'plan', 'logins', 'authOnly', 'idleMemory', 'throughput', 'greeting', 'notes']) {
      expect(results, section).to.have.property(section);
    }
    const logins = results['logins'] as { target: string; protocol: string }[];
    for (const target of ['pigeondeliver', 'pigeondeliver-handoff', 'dovecot-default', 'dovecot-high-performance']) {
      for (const protocol of ['imap', 'pop3']) {
        expect(logins.some((c) => c.target === target && c.protocol === protocol), `${target} ${protocol}`).to.equal(true);
      }
    }
    expect((results['greeting'] as { launcher: string }[]).map((c) => c.launcher)).to.include('node -e 0');
  });

  it('refuses a non-loopback address', async () => {
    const stderr = await new Promise<string>((done) => {
      const child = spawn(process.execPath, [main, '--quick', '--no-docs', '--host', '192.0.2.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let text = '';
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.once('exit', () => done(text));
    });
    expect(stderr).to.match(/loopback only/);
  });
});
