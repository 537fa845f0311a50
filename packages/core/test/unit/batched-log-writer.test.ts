import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { BatchedLogWriter, createLogger, FLUSH_BYTES, FLUSH_DELAY_MS } from '@pigeondeliver/core';

describe('BatchedLogWriter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pd-batched-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes lines together, at most FLUSH_DELAY_MS after the first, or at the end of the turn once FLUSH_BYTES wait', async () => {
    const file = join(dir, 'log');
    const fd = openSync(file, 'w');
    try {
      const writer = new BatchedLogWriter(fd);
      writer.write('one\n');
      await nextTurn();
      writer.write('two\n');
      expect(readFileSync(file, 'utf8')).to.equal('');
      await delay(FLUSH_DELAY_MS + 10);
      expect(readFileSync(file, 'utf8')).to.equal('one\ntwo\n');
      const big = 'x'.repeat(FLUSH_BYTES) + '\n';
      writer.write(big);
      expect(readFileSync(file, 'utf8')).to.equal('one\ntwo\n');
      await nextTurn();
      expect(readFileSync(file, 'utf8')).to.equal('one\ntwo\n' + big);
      truncateSync(file);
      writer.write('three\n');
      writer.flush();
      expect(readFileSync(file, 'utf8')).to.match(/three\n$/);
    } finally {
      closeSync(fd);
    }
  });

  it('loses no line when the process exits in the same turn it logged', () => {
    const file = join(dir, 'log');
    const core = fileURLToPath(import.meta.resolve('@pigeondeliver/core'));
    const script = `import { createLogger } from ${JSON.stringify(core)}; import { openSync } from 'node:fs';
      const log = createLogger({ level: 'info', name: 't', fd: openSync(${JSON.stringify(file)}, 'w') });
      for (let i = 0; i < 100; i++) log.info({ i }, 'line');
      process.exit(3);`;
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', script]);
    } catch (e) {
      expect((e as { status: number }).status).to.equal(3);
    }
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { i: number; msg: string });
    expect(lines.map((l) => l.i)).to.deep.equal([...Array(100).keys()]);
  });

  it('is what createLogger writes through, with secrets still redacted', async () => {
    const file = join(dir, 'log');
    const fd = openSync(file, 'w');
    try {
      createLogger({ level: 'info', name: 't', fd }).info({ password: 'hunter2' }, 'x');
      await delay(FLUSH_DELAY_MS + 10);
      const text = readFileSync(file, 'utf8');
      expect(text).to.include('[redacted]').and.not.include('hunter2');
    } finally {
      closeSync(fd);
    }
  });
});
