import { expect } from 'chai';
import { setImmediate as turn, setTimeout as delay } from 'node:timers/promises';
import { LoginStampBatcher, STAMP_BATCH_MAX, STAMP_WINDOW_MS, type LoginStamp } from '@pigeondeliver/db-common';

const stamp = (key: string, ms: number): LoginStamp => ({ key, when: new Date(ms), ip: '192.0.2.1' });

describe('LoginStampBatcher (last-login stamps in batches)', () => {
  it('writes the stamps of one window in one batch, the latest per user, and resolves each add after it', async () => {
    const batches: LoginStamp[][] = [];
    const b = new LoginStampBatcher(async (s) => void batches.push([...s]));
    const adds = [b.add(stamp('a', 1)), b.add(stamp('b', 2)), b.add(stamp('a', 3))];
    await turn();
    expect(batches).to.deep.equal([]);
    await Promise.all(adds);
    expect(batches).to.deep.equal([[stamp('b', 2), stamp('a', 3)]]);
  });

  it('writes at once when a batch is full, and what waits on flush (close)', async () => {
    const batches: LoginStamp[][] = [];
    const b = new LoginStampBatcher(async (s) => void batches.push([...s]));
    const full = Array.from({ length: STAMP_BATCH_MAX }, (_, i) => b.add(stamp(`u${i}`, i)));
    await Promise.all(full);
    expect(batches.map((x) => x.length)).to.deep.equal([STAMP_BATCH_MAX]);
    const last = b.add(stamp('late', 1));
    await b.flush();
    await last;
    expect(batches[1]).to.deep.equal([stamp('late', 1)]);
    await delay(STAMP_WINDOW_MS + 20);
    expect(batches).to.have.length(2); // nothing written twice
  });

  it('resolves the adds of a batch whose write failed (stamps are best effort)', async () => {
    const b = new LoginStampBatcher(async () => Promise.resolve());
    const failing = new LoginStampBatcher(async () => {
      throw new Error('down');
    });
    await b.add(stamp('a', 1));
    let settled = false;
    const p = failing.add(stamp('a', 1)).then(() => (settled = true), () => (settled = true));
    await delay(STAMP_WINDOW_MS + 20); // the timer's flush: no unhandled rejection
    await p;
    expect(settled).to.equal(true);
  });
});
