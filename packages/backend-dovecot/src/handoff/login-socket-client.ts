/**
 * Sends one login request with the client descriptor to an imap/pop3 service's login socket and
 * reads the reply, as `master_auth_request_full()` does (src/lib-master/master-auth.c): one unix
 * connection per request, struct + data in one sendmsg() with SCM_RIGHTS, then 12 bytes back (the
 * addon's `loginRequest`, native/src/fdpass.c).
 */
import { BackendError } from '@pigeondeliver/core';
import { decodeLoginReply, type LoginReply } from './login-request.js';
import { fdPassAddon } from './native.js';

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

/** The longest deadline the addon is given (ms), as for Node's timers. */
const MAX_TIMEOUT_MS = 0x7fffffff;

/** What to add to an error from the login socket, by errno name. */
function hint(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
      return ' (is Dovecot running with the configuration pd-dovecot-config generates, for the same dovecot_handoff_uids and dovecot_handoff_pool_shards?)';
    case 'EACCES':
      return ' (the login socket must be accessible to this process: unix_listener user/group/mode)';
    case 'EAGAIN':
      return " (the login socket's listen backlog is full: Dovecot's pool is not accepting)";
    case 'ECLOSED':
      return ' (service process_limit reached, or the process died)';
    default:
      return '';
  }
}

/**
 * Sends `request` with `fd` to `socketPath` and resolves with Dovecot's reply. Rejects with
 * {@link LoginSocketError} on connect failure, refusal, early close or timeout. The connection is
 * the addon's own descriptor, watched on Node's event loop (no net.Socket for a one-request
 * connection: docs/performance.md section 5).
 */
export function sendLoginRequest(socketPath: string, request: Buffer, fd: number, timeoutMs: number): Promise<LoginReply> {
  return new Promise<LoginReply>((resolve, reject) => {
    const onReply = (code: string | null, message: string | null, reply: Buffer | null): void => {
      if (code !== null || reply === null) {
        const what = code === 'ETIMEDOUT' ? `Dovecot did not answer the hand-off on ${socketPath} within ${timeoutMs} ms` : `no reply to the hand-off on ${socketPath}: ${message}`;
        reject(new LoginSocketError(what + hint(code ?? undefined), true));
        return;
      }
      try {
        resolve(decodeLoginReply(reply));
      } catch (e) {
        reject(e as Error);
      }
    };
    try {
      // The addon takes whole milliseconds as a 32-bit value; Node's own timers stop at 2^31 - 1 too.
      fdPassAddon().loginRequest(socketPath, request, fd, Math.min(MAX_TIMEOUT_MS, Math.max(1, Math.ceil(timeoutMs))), onReply);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      reject(new LoginSocketError(`cannot hand off to ${socketPath}: ${err.message}${hint(err.code)}`, false, { cause: e }));
    }
  });
}
