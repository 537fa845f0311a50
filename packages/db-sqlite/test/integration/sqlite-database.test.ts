import { spawn } from 'node:child_process';
import { openSqliteDatabase } from '@pigeondeliver/db-sqlite';
import { createTempDir } from '@pigeondeliver/test-fixtures/temp-dir';
import { expect } from 'chai';

/**
 * The deployment shape of SQLite: one process per connection plus pd-admin, all on one file. Each
 * child migrates on first use (racing the others), then read-modify-writes a counter with retries.
 */
const CHILD = `
const { openSqliteDatabase } = await import(process.env.PD_MODULE);
const db = await openSqliteDatabase(process.env.PD_FILE, { timeoutMs: 10000 });
try { await db.users.create({ login: 'counter', quotaBytes: 0 }); } catch (e) { if (e.code !== 'ECONFLICT') throw e; }
let done = 0, stale = 0;
while (done < Number(process.env.PD_ROUNDS)) {
  const u = await db.users.lookup('counter');
  try { await db.users.update('counter', u.version, { quotaBytes: u.quotaBytes + 1 }); done++; }
  catch (e) { if (e.code !== 'ESTALE') throw e; stale++; }
}
await db.close();
process.stdout.write(JSON.stringify({ done, stale }));
`;

function runChild(env: Record<string, string>): Promise<{ done: number; stale: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { done: number; stale: number }) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('sqlite-database across processes @integration', () => {
  it('migrates once and loses no update when several processes share one file', async function () {
    this.timeout(60_000);
    const dir = createTempDir('pd-db-sqlite-procs-');
    const file = dir.join('var', 'users.sqlite');
    const env = { PD_MODULE: import.meta.resolve('@pigeondeliver/db-sqlite'), PD_FILE: file, PD_ROUNDS: '25' };
    const results = await Promise.all([runChild(env), runChild(env), runChild(env)]);
    expect(results.map((r) => r.done)).to.deep.equal([25, 25, 25]);
    const db = await openSqliteDatabase(file);
    try {
      const counter = (await db.users.lookup('counter'))!;
      expect(counter.quotaBytes).to.equal(75);
      expect(counter.version).to.equal(76);
      expect(await db.migrate()).to.deep.equal([]);
    } finally {
      await db.close();
    }
  });
});
