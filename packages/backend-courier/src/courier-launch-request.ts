/**
 * Builds the {@link LaunchRequest} that starts Courier's imapd or courierpop3d pre-authenticated as
 * the user (DESIGN.md "Local handoff", verified with Courier-IMAP 5.0.13): `imapd <maildir>` /
 * `courierpop3d <maildir>` with the variables of the configuration file plus `AUTHENTICATED`,
 * `IMAPLOGINTAG` (IMAP), `HOME`, `TCPREMOTEIP` and `TCPREMOTEPORT` (without a non-empty address and a
 * port Courier exits at once, with code 0 and no word), cwd = home. Pure.
 */
import { BackendError, type AuthenticatedSession, type LaunchRequest, type SessionIdentity } from '@pigeondeliver/core';

/** Address given to Courier when the client's is unknown (stdio without a wrapper). */
export const UNKNOWN_ADDRESS = '0.0.0.0';

/** Everything {@link buildCourierLaunchRequest} needs. */
export interface CourierLaunchParams {
  /** imapd or courierpop3d. */
  readonly binaryPath: string;
  /** The variable file's assignments. */
  readonly variables: Readonly<Record<string, string>>;
  readonly session: AuthenticatedSession;
  readonly identity: SessionIdentity;
}

/** RFC 3501 §9 tag (`1*<any ASTRING-CHAR except "+">`); it goes into an environment variable. */
export function isValidImapTag(tag: string): boolean {
  return /^[\x21-\x7e]+$/.test(tag) && !/[(){%*"\\+]/.test(tag);
}

/**
 * The Maildir argument for a user: the row's `maildir:` location (`~/` means the home), else the
 * configuration's MAILDIRPATH (Courier's default `Maildir`). Courier serves Maildirs only.
 */
export function courierMaildir(mail: string | null, home: string, defaultMaildir: string): string {
  if (!mail) return defaultMaildir;
  const m = /^maildir:([^:]+)$/.exec(mail);
  if (!m) throw new BackendError(`mail location ${mail} cannot be served by Courier (maildir:<path> only)`);
  const path = m[1]!;
  if (path.startsWith('~/')) return path.slice(2);
  if (path.startsWith(`${home}/`)) return path.slice(home.length + 1);
  return path;
}

/** Builds the launch request for one session. */
export function buildCourierLaunchRequest(p: CourierLaunchParams): LaunchRequest {
  const { session, identity } = p;
  const maildir = courierMaildir(session.user.mail, identity.home, p.variables.MAILDIRPATH || 'Maildir');
  const env: Record<string, string> = {
    ...p.variables,
    PATH: '/usr/bin:/bin',
    AUTHENTICATED: session.user.login,
    HOME: identity.home,
    TCPREMOTEIP: session.remote.address || UNKNOWN_ADDRESS,
    TCPREMOTEPORT: String(session.remote.port),
    TCPLOCALIP: session.local.address || UNKNOWN_ADDRESS,
    TCPLOCALPORT: String(session.local.port),
  };
  if (session.protocol === 'imap') {
    if (!isValidImapTag(session.loginTag)) throw new BackendError(`invalid IMAP login tag ${JSON.stringify(session.loginTag)}`);
    env.IMAPLOGINTAG = session.loginTag;
  }
  return {
    sessionId: session.sessionId,
    command: p.binaryPath,
    args: [maildir],
    env,
    cwd: identity.home,
    uid: identity.uid,
    gid: identity.gid,
    home: { path: identity.home, maildir: maildir.startsWith('/') ? undefined : maildir },
    stderr: 'log',
    label: `courier-${session.protocol}`,
  };
}
