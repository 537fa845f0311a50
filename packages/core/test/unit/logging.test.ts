import { expect } from 'chai';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createLogger, FLUSH_DELAY_MS, redactSecrets, REDACTED_FIELDS } from '@pigeondeliver/core';

describe('logging: secrets never reach a line', () => {
  it('redactSecrets replaces every listed field at the top level and one level down, without touching the caller\'s object', () => {
    const nested = { user: 'a', password: 'hunter2' };
    const fields = { secret: 's3', request: nested, list: [{ password: 'x' }], keep: 1 };
    const out = redactSecrets(fields);
    expect(out).to.deep.equal({ secret: '[redacted]', request: { user: 'a', password: '[redacted]' }, list: [{ password: 'x' }], keep: 1 });
    expect(fields.secret).to.equal('s3');
    expect(nested.password).to.equal('hunter2');
    const clean = { user: 'a', n: { x: 1 } };
    expect(redactSecrets(clean)).to.equal(clean); // nothing to hide: no copy
    for (const f of REDACTED_FIELDS) expect(redactSecrets({ [f]: 'v', o: { [f]: 'v' } })).to.deep.equal({ [f]: '[redacted]', o: { [f]: '[redacted]' } });
  });

  it('createLogger applies it to every line and to child bindings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-logging-'));
    const file = join(dir, 'log');
    const fd = openSync(file, 'w');
    try {
      const log = createLogger({ level: 'info', name: 't', fd });
      log.info({ response: 'AHVzZXIAaHVudGVyMg==', client: { credentials: 'c1' } }, 'a');
      log.child({ session: 'x', pass: 'p1' }).info({ saslPayload: 'p2' }, 'b');
      await delay(FLUSH_DELAY_MS + 10);
      const text = readFileSync(file, 'utf8');
      for (const secret of ['AHVzZXIAaHVudGVyMg==', 'c1', 'p1', 'p2']) expect(text).to.not.include(secret);
      const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines[0]).to.include({ response: '[redacted]', msg: 'a' });
      expect(lines[1]).to.include({ session: 'x', pass: '[redacted]', saslPayload: '[redacted]', msg: 'b' });
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
