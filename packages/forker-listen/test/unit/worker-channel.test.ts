import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { setImmediate as turn, setTimeout as delay } from 'node:timers/promises';
import { batchOf, LATER_MS, MAX_BATCH, unbatch, WorkerChannel, type IpcEndpoint } from '@pigeondeliver/forker-listen';

/** A fake IPC endpoint that records what the worker sends. */
function fakeIpc(): IpcEndpoint & { sent: unknown[]; emitter: EventEmitter } {
  const emitter = new EventEmitter();
  const sent: unknown[] = [];
  return {
    sent,
    emitter,
    send: (m: unknown) => (sent.push(m), true),
    on: (event: string, listener: (...a: unknown[]) => void) => emitter.on(event, listener),
  } as IpcEndpoint & { sent: unknown[]; emitter: EventEmitter };
}

describe('forker-listen IPC batching (worker-channel, ipc-messages)', () => {
  it('sends the requests and later notices of one event-loop turn as one batch, in order', async () => {
    const ipc = fakeIpc();
    const ch = new WorkerChannel(ipc);
    const a = ch.request({ t: 'admit', ip: '192.0.2.1' });
    const b = ch.request({ t: 'admit', ip: '192.0.2.2' });
    ch.notify({ t: 'release', ip: '192.0.2.3' }, 'later');
    expect(ipc.sent).to.have.length(0);
    await turn();
    expect(ipc.sent).to.deep.equal([{ t: 'batch', m: [{ t: 'admit', ip: '192.0.2.1', id: 1 }, { t: 'admit', ip: '192.0.2.2', id: 2 }, { t: 'release', ip: '192.0.2.3' }] }]);
    ipc.emitter.emit('message', { t: 'batch', m: [{ t: 'admit-reply', id: 2 }, { t: 'admit-reply', id: 1, reason: 'rate-limited' }] });
    expect(await a).to.deep.equal({ t: 'admit-reply', id: 1, reason: 'rate-limited' });
    expect(await b).to.deep.equal({ t: 'admit-reply', id: 2 });
  });

  it('sends a notice without `later` at once, after what waits', () => {
    const ipc = fakeIpc();
    const ch = new WorkerChannel(ipc);
    ch.notify({ t: 'release', ip: '192.0.2.3' }, 'later');
    ch.notify({ t: 'hello' });
    expect(ipc.sent).to.deep.equal([{ t: 'batch', m: [{ t: 'release', ip: '192.0.2.3' }, { t: 'hello' }] }]);
    ch.notify({ t: 'drained' });
    expect(ipc.sent[1]).to.deep.equal({ t: 'drained' });
  });

  it('sends a lone `later` notice within LATER_MS, and with the next request when one comes first', async () => {
    const ipc = fakeIpc();
    const ch = new WorkerChannel(ipc);
    ch.notify({ t: 'release', ip: '192.0.2.3' }, 'later');
    await turn();
    expect(ipc.sent).to.have.length(0);
    await delay(LATER_MS + 10);
    expect(ipc.sent).to.deep.equal([{ t: 'release', ip: '192.0.2.3' }]);
    ch.notify({ t: 'release', ip: '192.0.2.4' }, 'later');
    void ch.request({ t: 'admit', ip: '192.0.2.5' });
    await turn();
    expect(ipc.sent[1]).to.deep.equal({ t: 'batch', m: [{ t: 'release', ip: '192.0.2.4' }, { t: 'admit', ip: '192.0.2.5', id: 1 }] });
  });

  it('sends `soon` notices (hand-off registrations) with the requests of the same turn', async () => {
    const ipc = fakeIpc();
    const ch = new WorkerChannel(ipc);
    ch.notify({ t: 'register', backend: 'backend-dovecot', payload: { k: 1 } }, 'soon');
    void ch.request({ t: 'admit', ip: '192.0.2.1' });
    expect(ipc.sent).to.have.length(0);
    await turn();
    expect(ipc.sent).to.deep.equal([{ t: 'batch', m: [{ t: 'register', backend: 'backend-dovecot', payload: { k: 1 } }, { t: 'admit', ip: '192.0.2.1', id: 1 }] }]);
  });

  it('rejects waiting requests when the primary goes away', async () => {
    const ipc = fakeIpc();
    const ch = new WorkerChannel(ipc);
    const a = ch.request({ t: 'admit', ip: '192.0.2.1' });
    ipc.emitter.emit('disconnect');
    let error: Error | undefined;
    await a.catch((e: Error) => (error = e));
    expect(error?.message).to.match(/primary process is gone/);
  });

  it('unbatch bounds a batch and passes a single message through', () => {
    expect(unbatch({ t: 'admit', id: 1, ip: 'x' })).to.deep.equal([{ t: 'admit', id: 1, ip: 'x' }]);
    expect(unbatch(batchOf([1, 2]))).to.deep.equal([1, 2]);
    expect(batchOf(['only'])).to.equal('only');
    expect(unbatch({ t: 'batch', m: new Array(MAX_BATCH + 5).fill(0) })).to.have.length(MAX_BATCH);
    expect(unbatch({ t: 'batch', m: 'not a list' })).to.deep.equal([]);
  });
});
