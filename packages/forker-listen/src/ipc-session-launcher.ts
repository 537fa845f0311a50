/**
 * The workers' ISessionLauncher: sends the LaunchRequest and the client socket to the privileged
 * primary (`process.send(msg, socket)`), which starts the mail server as the user. On success our copy
 * of the socket is destroyed (never ended: shutdown(2) would cut the child's copy); on failure the
 * socket is untouched and readable again, so the login service can answer a temporary failure.
 * `delegate` passes a backend's privileged work with a socket (Dovecot handoff mode: the primary hosts
 * the one auth-master, decision 0007 §4); the backend itself detaches and restores the socket.
 * `registerHandoff` announces a hand-off the worker sends itself (decision 0007 §5).
 */
import type { Socket } from 'node:net';
import { BackendError, detachSocketReader, reattachSocketReader, type ISessionLauncher, type LaunchRequest, type LaunchResult } from '@pigeondeliver/core';
import type { WorkerChannel } from './worker-channel.js';

/** See the file comment. */
export class IpcSessionLauncher implements ISessionLauncher {
  constructor(private readonly channel: WorkerChannel) {}

  async launch(request: LaunchRequest, socket: Socket): Promise<LaunchResult> {
    if (socket.destroyed) throw new BackendError('the client connection is already closed');
    // Stop the kernel reads now: bytes read here after the login service took its pipelined bytes
    // would never reach the backend. Any such bytes go back into the stream if the launch fails.
    const unread = detachSocketReader(socket);
    const restore = () => {
      if (unread.length > 0) socket.unshift(unread);
      reattachSocketReader(socket);
    };
    let reply: { pid?: number; error?: string };
    try {
      reply = await this.channel.request<{ t: 'launch-reply'; id: number; pid?: number; error?: string }>({ t: 'launch', request: { ...request } }, socket);
    } catch (e) {
      restore();
      throw new BackendError(`cannot reach the privileged process to start the session: ${(e as Error).message}`, { cause: e });
    }
    if (reply.error !== undefined || typeof reply.pid !== 'number') {
      restore();
      throw new BackendError(reply.error ?? 'the privileged process did not start the session');
    }
    socket.destroy();
    return { pid: reply.pid };
  }

  /** Sends `payload` and `socket` to the primary's backend `backend`; resolves with its JSON answer. */
  async delegate(backend: string, payload: Readonly<Record<string, unknown>>, socket: Socket): Promise<Readonly<Record<string, unknown>>> {
    const reply = await this.channel.request<{ t: 'delegate-reply'; id: number; result: Readonly<Record<string, unknown>> }>({ t: 'delegate', backend, payload }, socket);
    return reply.result;
  }

  /**
   * Registers a hand-off this worker is about to send itself with the primary's backend `backend`
   * (decision 0007 §5): one message, no socket, no reply, leaving with the other messages of this
   * event-loop turn. That is still before Dovecot hears of the hand-off: the login request goes out
   * once the connection to the login socket is made, in a later turn (and the primary's auth-master
   * waits for a registration that comes late). False when the channel is closed.
   */
  registerHandoff(backend: string, payload: object): boolean {
    return this.channel.notify({ t: 'register', backend, payload: { ...payload } }, 'soon');
  }
}
