/**
 * Sends one login request with the client descriptor to an imap/pop3 service's login socket and
 * reads the reply, as `master_auth_request_full()` does (src/lib-master/master-auth.c): one unix
 * connection per request, struct + data in one sendmsg() with SCM_RIGHTS, then 12 bytes back.
 */
import { createConnection, type Socket } from 'node:net';
import { BackendError } from '@pigeondeliver/core';
import { decodeLoginReply, MASTER_AUTH_REPLY_SIZE, type LoginReply } from './login-request.js';
import { fdPassAddon, socketDescriptor } from './native.js';

/** What went wrong, for the caller's choice of answer. */
export class LoginSocketError extends BackendError {
  constructor(
    message: string,
    /** The request (and the descriptor) reached Dovecot: it may have answered the client already. */
    readonly sent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Sends `request` with `fd` to `socketPath` and resolves with Dovecot's reply. Rejects with
 * {@link LoginSocketError} on connect failure, refusal, early close or timeout.
 */
export function sendLoginRequest(socketPath: string, request: Buffer, fd: number, timeoutMs: number): Promise<LoginReply> {
  return new Promise<LoginReply>((resolve, reject) => {
    let sent = false;
    let done = false;
    const chunks: Buffer[] = [];
    let length = 0;
    const conn: Socket = createConnection(socketPath);
    const finish = (err: Error | undefined, reply?: LoginReply): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      conn.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(
      () => finish(new LoginSocketError(`Dovecot did not answer the hand-off on ${socketPath} within ${timeoutMs} ms`, sent)),
      timeoutMs,
    );
    conn.once('connect', () => {
      try {
        const n = fdPassAddon().sendFd(socketDescriptor(conn), request, fd);
        sent = true;
        if (n !== request.length) finish(new LoginSocketError(`short hand-off write to ${socketPath} (${n} of ${request.length} bytes)`, true));
      } catch (e) {
        finish(new LoginSocketError(`cannot send the hand-off to ${socketPath}: ${(e as Error).message}`, false, { cause: e }));
      }
    });
    conn.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= MASTER_AUTH_REPLY_SIZE) {
        try {
          finish(undefined, decodeLoginReply(Buffer.concat(chunks).subarray(0, MASTER_AUTH_REPLY_SIZE)));
        } catch (e) {
          finish(e as Error);
        }
      }
    });
    conn.once('error', (e: NodeJS.ErrnoException) => {
      const hint =
        e.code === 'ENOENT' || e.code === 'ECONNREFUSED'
          ? ' (is Dovecot running with the generated configuration? see pd-dovecot-config)'
          : e.code === 'EACCES'
            ? ' (the login socket must be accessible to this process: unix_listener user/group/mode)'
            : '';
      finish(new LoginSocketError(`cannot hand off to ${socketPath}: ${e.message}${hint}`, sent, { cause: e }));
    });
    conn.once('close', () => {
      // After a reply the close is ours (finish destroyed the connection): build no error for it.
      if (!done) finish(new LoginSocketError(`Dovecot closed ${socketPath} without answering the hand-off (service process_limit reached, or the process died)`, sent));
    });
  });
}
