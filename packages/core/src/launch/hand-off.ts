/**
 * Hands an authenticated session to a local backend process (DESIGN.md "Local handoff"); shared by
 * backend-dovecot and backend-courier, which only know their command lines.
 *
 * - Plaintext socket: the backend gets the client socket itself; we stop reading it, add what Node
 *   had buffered to the pipelined bytes, and keep nothing once the launcher has let go of it.
 * - TLS (terminated by us) or a connection without a socket (stdio pipes): a Unix socket pair, the
 *   backend on one end, and a relay between the client stream and our end. The relay waits for the
 *   backend's first byte before it passes any client byte, so a backend that dies or stays silent is
 *   a BackendError on a connection the login service can still answer.
 * - A backend that cannot take pipelined bytes in its environment (Courier) gets them written to it
 *   through the relay, so a plaintext session with pipelined bytes is relayed too.
 *
 * Everything is bounded by `timeout` (Limits.backendTimeout); a process started after the deadline
 * or one that never answered is killed.
 */
import type { Duplex } from 'node:stream';
import { BackendError } from '../errors.js';
import type { ClientConnection } from '../contracts/connection.js';
import type { AuthenticatedSession } from '../contracts/session.js';
import type { ISessionLauncher, LaunchRequest, LaunchResult } from '../contracts/session-launcher.js';
import { killProcessGroup } from './process-group.js';
import { relayAfterFirstChunk } from './relay.js';
import { detachSocketReader, reattachSocketReader } from './socket-detach.js';
import { createSocketPair } from './socket-pair.js';

const EMPTY = Buffer.alloc(0);

/** What {@link handOffSession} needs from a backend. */
export interface HandOffSpec {
  readonly launcher: ISessionLauncher;
  readonly connection: ClientConnection;
  readonly session: AuthenticatedSession;
  /** Bound for the whole start, in ms (Limits.backendTimeout). */
  readonly timeout: number;
  /** The backend takes pipelined client bytes in its environment (Dovecot's CLIENT_INPUT). */
  readonly pipelinedInEnvironment: boolean;
  /**
   * Builds the launch request. `pipelined` is what must go into the environment: every pipelined
   * byte when `pipelinedInEnvironment`, else empty (the bytes then go through the relay).
   */
  build(pipelined: Buffer): LaunchRequest;
}

/** How a session was handed off. */
export type HandOffMode = 'socket' | 'relay';

/** Starts the backend for `spec.session`; rejects with BackendError, leaving the connection usable. */
export async function handOffSession(spec: HandOffSpec): Promise<HandOffMode> {
  const { connection, session } = spec;
  const deadline = Date.now() + spec.timeout;
  const socket = connection.socket;
  if (socket && !connection.secured) {
    if (socket.destroyed) throw new BackendError('the client connection closed before the backend could start');
    const buffered = detachSocketReader(socket);
    const pipelined = concat(session.pipelined, buffered);
    try {
      if (pipelined.length === 0 || spec.pipelinedInEnvironment) {
        await withDeadline(spec.launcher.launch(spec.build(pipelined), socket), deadline);
        return 'socket';
      }
      await relay(spec, socket, pipelined, deadline, () => reattachSocketReader(socket));
      return 'relay';
    } catch (e) {
      // Give the connection back to the login service as it was: reading, with its bytes.
      if (!socket.destroyed) {
        if (buffered.length > 0) socket.unshift(buffered);
        reattachSocketReader(socket);
      }
      throw e;
    }
  }
  await relay(spec, connection.stream, session.pipelined, deadline);
  return 'relay';
}

async function relay(spec: HandOffSpec, client: Duplex, pipelined: Buffer, deadline: number, beforePipe?: () => void): Promise<void> {
  const pair = await createSocketPair();
  let pid: number | undefined;
  try {
    const request = spec.build(spec.pipelinedInEnvironment ? pipelined : EMPTY);
    pid = (await withDeadline(spec.launcher.launch(request, pair.theirs), deadline)).pid;
    if (!spec.pipelinedInEnvironment && pipelined.length > 0) pair.ours.write(pipelined);
    const log = spec.connection.log;
    await relayAfterFirstChunk(client, pair.ours, { deadline, beforeRelay: beforePipe, onClosed: (reason) => log.debug({ reason }, 'relay to backend closed') });
  } catch (e) {
    pair.ours.destroy();
    pair.theirs.destroy();
    if (pid !== undefined) killProcessGroup(pid);
    throw e instanceof BackendError ? e : new BackendError(`relay to the backend failed: ${(e as Error).message}`, { cause: e });
  }
}

/** Rejects when `deadline` passes first; a launch that completes later is killed. */
function withDeadline(launch: Promise<LaunchResult>, deadline: number): Promise<LaunchResult> {
  return new Promise<LaunchResult>((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new BackendError('the backend did not start in time (backend_timeout)'));
    }, Math.max(1, deadline - Date.now()));
    launch.then(
      (result) => {
        clearTimeout(timer);
        if (late) killProcessGroup(result.pid);
        else resolve(result);
      },
      (e: unknown) => {
        clearTimeout(timer);
        if (!late) reject(e instanceof BackendError ? e : new BackendError(`backend launch failed: ${(e as Error).message}`, { cause: e }));
      },
    );
  });
}

function concat(a: Buffer, b: Buffer): Buffer {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return Buffer.concat([a, b]);
}
