import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { createTempDir } from '@pigeondeliver/test-fixtures/temp-dir';
import { CryptWorkerPool } from '../../dist/worker-pool.js';
import { captureError } from '../capture-error.js';

describe('passwords worker-pool', () => {
  it('runs tasks on at most `size` threads and answers each one', async () => {
    const pool = new CryptWorkerPool(2);
    try {
      const settings = ['$1$aaaa', '$1$bbbb', '$1$cccc', '$1$dddd', '$1$eeee'];
      const results = await Promise.all(
        settings.map((setting) => pool.run({ algorithm: 'md5-crypt', password: Buffer.from('pw'), setting })),
      );
      expect(pool.threads).to.be.at.most(2);
      results.forEach((result, i) => expect(result.startsWith(`${settings[i]}$`)).to.equal(true));
    } finally {
      await pool.close();
    }
  });

  it('rejects a task the worker cannot compute, with the reason', async () => {
    const pool = new CryptWorkerPool(1);
    try {
      const error = await captureError(() => pool.run({ algorithm: 'sha-crypt', password: Buffer.from('pw'), setting: '$6$rounds=$x' }));
      expect(error.message).to.equal('malformed SHA-crypt setting');
      expect(await pool.run({ algorithm: 'md5-crypt', password: Buffer.from('pw'), setting: '$1$ok' })).to.match(/^\$1\$ok\$/);
    } finally {
      await pool.close();
    }
  });

  it('replaces a worker that dies and fails only its task', async () => {
    const dir = createTempDir('pd-pool-');
    const script = dir.join('echo-worker.mjs');
    writeFileSync(
      script,
      "import { parentPort } from 'node:worker_threads';\n" +
        "parentPort.on('message', (t) => { if (t.setting === 'crash') process.exit(3); parentPort.postMessage({ ok: true, result: 'echo:' + t.setting }); });\n",
    );
    const pool = new CryptWorkerPool(1, pathToFileURL(script));
    try {
      const task = (setting: string) => pool.run({ algorithm: 'md5-crypt', password: new Uint8Array(0), setting });
      const [crashed, after] = await Promise.allSettled([task('crash'), task('next')]);
      expect(crashed.status).to.equal('rejected');
      expect((crashed as PromiseRejectedResult).reason.message).to.match(/exited \(code 3\)/);
      expect(after).to.deep.equal({ status: 'fulfilled', value: 'echo:next' });
    } finally {
      await pool.close();
      dir.remove();
    }
  });

  it('refuses work once closed and rejects a bad size', async () => {
    const pool = new CryptWorkerPool(1);
    await pool.close();
    expect((await captureError(() => pool.run({ algorithm: 'md5-crypt', password: new Uint8Array(0), setting: '$1$' }))).message).to.match(/closed/);
    expect(() => new CryptWorkerPool(0)).to.throw(RangeError);
  });
});
