/**
 * The worker's side of the IPC channel: request/reply by numeric id (admission, launches) and plain
 * notices. Replies that never come (the primary died) reject when the channel disconnects.
 * Requests without a socket and notices sent `soon` (a hand-off registration) wait for the end of the
 * event-loop turn, notices sent `later` (a release) for the next message or at most {@link LATER_MS},
 * and they leave together in one batch (ipc-messages.ts); every other message flushes them first, so
 * the primary sees all messages in the order they were sent. With few clients a release then rides
 * with the next admission request instead of waking the primary on its own.
 */
import type { Socket } from 'node:net';
import { batchOf, MAX_BATCH, unbatch, type PrimaryMessage, type WorkerMessage } from './ipc-messages.js';

/** Longest time a `later` notice waits for company (ms). */
export const LATER_MS = 20;

/** When a notice leaves: at once (after what waits), at the end of this turn, or with the next message. */
export type NoticeTiming = 'now' | 'soon' | 'later';

type Reply = Extract<PrimaryMessage, { id: number }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The parts of `process` the channel uses (a fake in unit tests). */
export interface IpcEndpoint {
  send?(message: unknown, sendHandle?: unknown, options?: { keepOpen?: boolean }, callback?: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

/** See the file comment. */
export class WorkerChannel {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((m: PrimaryMessage) => void)[] = [];
  private connected = true;
  private queued: WorkerMessage[] = [];
  private flushScheduled = false;
  private laterTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ipc: IpcEndpoint) {
    ipc.on('message', (raw) => {
      for (const m of unbatch(raw)) this.dispatch(m as PrimaryMessage);
    });
    ipc.on('disconnect', () => {
      this.connected = false;
      for (const p of this.pending.values()) p.reject(new Error('the daemon\'s primary process is gone'));
      this.pending.clear();
    });
  }

  /**
   * Sends a notice (no reply expected); false when the channel is closed. `now` (default): at once,
   * after those waiting; `soon`: at the end of this event-loop turn, with the turn's other messages;
   * `later`: with the next message or after at most {@link LATER_MS}.
   */
  notify(message: WorkerMessage, timing: NoticeTiming = 'now'): boolean {
    if (!this.connected || !this.ipc.send) return false;
    this.queued.push(message);
    if (timing === 'now' || this.queued.length >= MAX_BATCH) return this.flush();
    if (timing === 'soon') this.scheduleFlush();
    else this.laterTimer ??= setTimeout(() => this.flush(), LATER_MS).unref();
    return true;
  }

  /** Sends what waits for the end of the turn; false when the channel is closed or refused it. */
  private flush(): boolean {
    if (this.laterTimer) clearTimeout(this.laterTimer);
    this.laterTimer = undefined;
    if (this.queued.length === 0) return true;
    const list = this.queued;
    this.queued = [];
    if (!this.connected || !this.ipc.send) return false;
    try {
      return this.ipc.send(batchOf(list));
    } catch {
      return false;
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /**
   * Sends a request and resolves with the reply of the same id. With a socket, the descriptor is
   * passed along and our copy stays open (`keepOpen`), so we can still answer on it if the primary fails.
   */
  request<R extends Reply>(message: WithoutId<Extract<WorkerMessage, { id: number }>>, socket?: Socket): Promise<R> {
    if (!this.connected || !this.ipc.send) return Promise.reject(new Error('the daemon\'s primary process is gone'));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: Reply) => void, reject });
      const done = (error: Error | null) => {
        if (error && this.pending.delete(id)) reject(error);
      };
      try {
        if (socket) {
          this.flush();
          this.ipc.send!({ ...message, id }, socket, { keepOpen: true }, done);
        } else {
          // Its reply may come in a batch too; a lost batch rejects through 'disconnect'.
          this.queued.push({ ...message, id } as WorkerMessage);
          if (this.queued.length >= MAX_BATCH) this.flush();
          else this.scheduleFlush();
        }
      } catch (e) {
        this.pending.delete(id);
        reject(e as Error);
      }
    });
  }

  /** Calls `listener` for every message that is not a reply. */
  onMessage(listener: (m: PrimaryMessage) => void): void {
    this.listeners.push(listener);
  }

  private dispatch(m: PrimaryMessage): void {
    if (typeof m !== 'object' || m === null) return;
    if ('id' in m && typeof m.id === 'number') {
      const p = this.pending.get(m.id);
      if (p) {
        this.pending.delete(m.id);
        p.resolve(m);
      }
      return;
    }
    for (const l of this.listeners) l(m);
  }
}
