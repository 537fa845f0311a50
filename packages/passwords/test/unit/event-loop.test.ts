/**
 * Expensive schemes must not stall the login process: while they are computed, the event loop keeps
 * turning. No timing thresholds: the check is only that the loop turned (many times) before the
 * verifications finished, which cannot happen if they ran on the main thread.
 */
import { expect } from 'chai';
import { closePasswordWorkers, hashPassword, verifyPassword } from '@pigeondeliver/passwords';

/** Counts event-loop turns with a self-rescheduling setImmediate until stopped. */
function startTicker(): { readonly count: () => number; stop(): void } {
  let ticks = 0;
  let running = true;
  const tick = (): void => {
    if (!running) return;
    ticks += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    count: () => ticks,
    stop() {
      running = false;
    },
  };
}

/**
 * Runs `work` and returns how many event-loop turns happened while it was pending. Hashing on the main
 * thread, even split into one macrotask per hash, would leave at most a handful of turns.
 */
async function ticksDuring(work: () => Promise<unknown>[]): Promise<number> {
  const ticker = startTicker();
  try {
    await Promise.all(work());
  } finally {
    ticker.stop();
  }
  return ticker.count();
}

describe('passwords event loop', () => {
  after(async () => {
    await closePasswordWorkers();
  });

  it('keeps ticking while 5 SHA512-CRYPT verifications run', async () => {
    // 50000 rounds: far too much work to finish within a single event-loop turn.
    const stored = await hashPassword('SHA512-CRYPT', 'secret', { rounds: 50_000 });
    const outcomes: boolean[] = [];
    const during = await ticksDuring(() =>
      Array.from({ length: 5 }, (_, i) =>
        verifyPassword(stored, i % 2 === 0 ? 'secret' : 'wrong').then((ok) => {
          outcomes[i] = ok;
        }),
      ),
    );
    expect(during).to.be.greaterThan(20);
    expect(outcomes).to.deep.equal([true, false, true, false, true]);
  });

  it('keeps ticking while MD5-CRYPT, SHA256-CRYPT, BLF-CRYPT, PBKDF2 and ARGON2ID hash', async () => {
    const during = await ticksDuring(() => [
      hashPassword('SHA256-CRYPT', 'secret', { rounds: 50_000 }),
      hashPassword('BLF-CRYPT', 'secret', { rounds: 10 }),
      hashPassword('MD5-CRYPT', 'secret'),
      hashPassword('PBKDF2', 'secret', { rounds: 100_000 }),
      hashPassword('ARGON2ID', 'secret'),
    ]);
    expect(during).to.be.greaterThan(20);
  });
});
