import type { Socket } from 'node:net';

/**
 * A request to start a mail server process for an authenticated user: the privileged half of the
 * local handoff. Built by a backend (which knows Dovecot's or Courier's command line), carried out by
 * an {@link ISessionLauncher}: in one-process launches the same process regains privileges for it; in
 * the daemon the unprivileged worker sends it (with the socket) to the privileged parent over IPC.
 * Everything in it must be plain JSON (it crosses the IPC channel).
 */
export interface LaunchRequest {
  readonly sessionId: string;
  /** Absolute path of the program. */
  readonly command: string;
  readonly args: readonly string[];
  /** The complete environment of the child (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Working directory of the child (Courier needs the home). */
  readonly cwd: string;
  /** uid/gid the child runs as; supplementary groups are cleared. Must be >= first_valid_uid, never 0. */
  readonly uid: number;
  readonly gid: number;
  /**
   * The home to create on first login (mode 0700, owned by uid/gid, Maildir cur/new/tmp inside
   * `maildir` when given), only under the configured home roots, never through a symlink.
   */
  readonly home: { readonly path: string; readonly maildir?: string };
  /** What the child's stderr is used for: its lines are logged with the session id. */
  readonly stderr: 'log' | 'ignore';
  /** Label for logs (`dovecot-imap`). */
  readonly label: string;
}

/** What happened to a launch. */
export interface LaunchResult {
  readonly pid: number;
}

/**
 * Starts backend processes with the user's privileges, giving them `socket` as stdin and stdout.
 * Rejects with BackendError (refused uid, home outside the roots or a symlink, spawn failure); the
 * socket is then left untouched so the login service can answer a temporary failure on it.
 * On success the launcher has closed its own copy of the socket (the child holds the descriptor).
 */
export interface ISessionLauncher {
  launch(request: LaunchRequest, socket: Socket): Promise<LaunchResult>;
}
