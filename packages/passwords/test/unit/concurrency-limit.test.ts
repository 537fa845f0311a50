import { expect } from 'chai';
import { ConcurrencyLimit } from '../../dist/concurrency-limit.js';
import { nativeCryptConcurrency } from '../../dist/compute-crypt.js';
import { captureError } from '../capture-error.js';

/** A promise with its resolve and reject exposed. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('passwords concurrency-limit', () => {
  it('runs at most `limit` tasks at once, the others in arrival order, and frees slots on failure', async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = [deferred<number>(), deferred<number>(), deferred<number>(), deferred<number>()];
    const started: number[] = [];
    const results = gates.map((gate, i) =>
      limit.run(() => {
        started.push(i);
        return gate.promise;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.deep.equal([0, 1]);
    expect(limit.active).to.equal(2);
    gates[1]!.reject(new Error('boom'));
    expect((await captureError(() => results[1]!)).message).to.equal('boom');
    expect(started).to.deep.equal([0, 1, 2]);
    gates[0]!.resolve(0);
    expect(await results[0]).to.equal(0);
    expect(started).to.deep.equal([0, 1, 2, 3]);
    gates[2]!.resolve(2);
    gates[3]!.resolve(3);
    expect(await Promise.all(results.slice(2))).to.deep.equal([2, 3]);
    expect(limit.active).to.equal(0);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new ConcurrencyLimit(0)).to.throw(RangeError);
    expect(() => new ConcurrencyLimit(1.5)).to.throw(RangeError);
  });

  it('keeps one libuv pool thread free for fs and dns, and uses at most the cores', () => {
    const size = nativeCryptConcurrency();
    expect(size).to.be.at.least(1);
    expect(size).to.be.at.most((Number(process.env.UV_THREADPOOL_SIZE) || 4) - 1 || 1);
  });
});
