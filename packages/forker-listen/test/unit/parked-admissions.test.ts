import { expect } from 'chai';
import { RejectReason } from '@pigeondeliver/core';
import { Admission, AdmissionReclaim, MAX_DEFERRED, ParkedAdmissions, RECLAIM_INTERVAL_MS, type ReclaimHost } from '@pigeondeliver/forker-listen';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('forker-listen parked admissions (worker side)', () => {
  it('keeps a finished connection\'s admission for the next one from the same address only', () => {
    const released: string[] = [];
    const p = new ParkedAdmissions(1000, (ip) => released.push(ip));
    expect(p.take('192.0.2.1')).to.equal(false);
    p.park('192.0.2.1');
    p.park('192.0.2.1');
    expect(p.size).to.equal(2);
    expect(p.take('192.0.2.2')).to.equal(false);
    expect(p.take('192.0.2.1')).to.equal(true);
    expect(p.take('192.0.2.1')).to.equal(true);
    expect(p.take('192.0.2.1')).to.equal(false);
    expect(released).to.deep.equal([]);
    p.close();
  });

  it('releases what stays unused for the keep time, everything on releaseAll, and parks nothing when off or closed', async () => {
    let now = 1_000_000;
    const released: string[] = [];
    const p = new ParkedAdmissions(40, (ip) => released.push(ip), () => now);
    p.park('192.0.2.1');
    now += 30;
    p.park('192.0.2.2');
    now += 15; // the first is 45 ms old, the second 15 ms
    await sleep(60); // one sweep
    expect(released).to.deep.equal(['192.0.2.1']);
    expect(p.size).to.equal(1);
    p.park('192.0.2.3');
    expect(p.releaseAll()).to.equal(2);
    expect(released.slice(1).sort()).to.deep.equal(['192.0.2.2', '192.0.2.3']);
    p.close();
    p.park('192.0.2.4');
    expect(released.at(-1)).to.equal('192.0.2.4');
    expect(p.size).to.equal(0);
    const off: string[] = [];
    const none = new ParkedAdmissions(0, (ip) => off.push(ip));
    none.park('192.0.2.5');
    expect([off, none.size]).to.deep.equal([['192.0.2.5'], 0]);
  });
});

describe('forker-listen admission reclaim (primary side)', () => {
  /** A primary with workers that park: admission counts include what they keep. */
  function setup(limits: { maxConnections: number; maxConnectionsPerIp: number }) {
    const admission = new Admission({ ...limits, connectionRate: 0, connectionRatePerIp: 0 });
    const parked = new Map<string, string[]>([
      ['w1', []],
      ['w2', []],
    ]);
    const answers: { worker: string; id: number; reason: RejectReason | undefined }[] = [];
    const asked: string[] = [];
    const ref: { reclaim?: AdmissionReclaim<string> } = {};
    const host: ReclaimHost<string> = {
      workers: () => parked.keys(),
      sendReclaim: (w) => {
        asked.push(w);
        // The worker gives back what it keeps, then answers (asynchronously, like the IPC channel).
        setImmediate(() => {
          for (const ip of parked.get(w)!.splice(0)) admission.release(ip);
          ref.reclaim!.answered(w);
        });
        return true;
      },
      decide: (worker, id, ip) => answers.push({ worker, id, reason: admission.admit(ip) }),
    };
    const reclaim = new AdmissionReclaim(host);
    ref.reclaim = reclaim;
    return { admission, parked, answers, asked, reclaim };
  }

  it('refuses for a full per-address limit only after the admissions parked elsewhere came back', async () => {
    const { admission, parked, answers, asked, reclaim } = setup({ maxConnections: 0, maxConnectionsPerIp: 2 });
    // Two connections from one address ended on worker 2, which keeps both admissions.
    expect(admission.admit('192.0.2.1')).to.equal(undefined);
    expect(admission.admit('192.0.2.1')).to.equal(undefined);
    parked.get('w2')!.push('192.0.2.1', '192.0.2.1');
    // Worker 1 asks for a third: the limit looks full, the request waits for the round.
    expect(admission.admit('192.0.2.1')).to.equal(RejectReason.TooManyFromAddress);
    expect(reclaim.defer('w1', 7, '192.0.2.1')).to.equal(true);
    expect(reclaim.defer('w1', 8, '192.0.2.1')).to.equal(true);
    expect(reclaim.defer('w1', 9, '192.0.2.1')).to.equal(true);
    await sleep(10);
    expect(asked.sort()).to.deep.equal(['w1', 'w2']);
    // Exact: two of the three get the two returned admissions, the third is refused.
    expect(answers).to.deep.equal([
      { worker: 'w1', id: 7, reason: undefined },
      { worker: 'w1', id: 8, reason: undefined },
      { worker: 'w1', id: 9, reason: RejectReason.TooManyFromAddress },
    ]);
    expect(reclaim.waitingRequests).to.equal(0);
  });

  it('rounds are spaced, a gone worker ends its part, and the queue is bounded', async () => {
    const { answers, asked, reclaim } = setup({ maxConnections: 1, maxConnectionsPerIp: 0 });
    reclaim.defer('w1', 1, '192.0.2.1');
    await sleep(10);
    expect(asked).to.have.length(2);
    const started = Date.now();
    reclaim.defer('w1', 2, '192.0.2.1');
    await sleep(5);
    expect(asked).to.have.length(2); // the next round waits for the interval
    await sleep(RECLAIM_INTERVAL_MS + 20);
    expect(asked).to.have.length(4);
    expect(answers.map((a) => a.id)).to.deep.equal([1, 2]);
    expect(Date.now() - started).to.be.at.least(RECLAIM_INTERVAL_MS - 15);

    const stuck = new AdmissionReclaim<string>({ workers: () => ['w1', 'w2'], sendReclaim: () => true, decide: (w, id) => answers.push({ worker: w, id, reason: undefined }) });
    stuck.defer('w1', 3, '192.0.2.1');
    stuck.answered('w1');
    expect(stuck.waitingRequests).to.equal(1);
    stuck.answered('w2'); // exited
    expect(stuck.waitingRequests).to.equal(0);
    expect(answers.at(-1)).to.deep.include({ id: 3 });
    for (let i = 0; i < MAX_DEFERRED; i++) stuck.defer('w1', 100 + i, '192.0.2.1');
    expect(stuck.defer('w1', 99, '192.0.2.1')).to.equal(false);
    stuck.flush();
    expect(stuck.waitingRequests).to.equal(0);
  });
});
