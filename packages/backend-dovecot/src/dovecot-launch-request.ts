/**
 * Builds the {@link LaunchRequest} that starts Dovecot's imap or pop3 pre-authenticated as the user
 * (DESIGN.md "Local handoff"). Pure: everything it needs is passed in.
 */
import { BackendError, type AuthenticatedSession, type LaunchRequest, type SessionIdentity } from '@pigeondeliver/core';
import { imapClientInput, pop3ClientInput } from './client-input.js';
import type { DovecotMode } from './options.js';

/** Mail location used when the user row has none. */
export const DEFAULT_MAIL_LOCATION = 'maildir:~/Maildir';

/** Everything {@link buildDovecotLaunchRequest} needs. */
export interface DovecotLaunchParams {
  readonly mode: DovecotMode;
  /** imap or pop3 binary. */
  readonly binaryPath: string;
  readonly doveconfPath: string;
  readonly configPath: string;
  /** The captured doveconf environment (direct mode). */
  readonly captured?: Readonly<Record<string, string>>;
  readonly session: AuthenticatedSession;
  readonly identity: SessionIdentity;
  /** Every pipelined client byte (it goes into CLIENT_INPUT). */
  readonly pipelined: Buffer;
}

/**
 * An IMAP tag as RFC 3501 §9 defines it (`1*<any ASTRING-CHAR except "+">`): it goes into an
 * environment variable and Dovecot's NUL-terminated CLIENT_INPUT, so anything else is refused.
 */
export function isValidImapTag(tag: string): boolean {
  return /^[\x21-\x7e]+$/.test(tag) && !/[(){%*"\\+]/.test(tag);
}

/** The user's mail location and the Maildir to create in the home on first login, if known. */
export function dovecotMailLocation(mail: string | null, home: string): { location: string; maildir?: string } {
  const location = mail && mail.length > 0 ? mail : DEFAULT_MAIL_LOCATION;
  const m = /^maildir:([^:]+)/.exec(location);
  if (!m) return { location };
  const path = m[1]!;
  if (path.startsWith('~/')) return { location, maildir: path.slice(2) };
  if (path.startsWith(`${home}/`)) return { location, maildir: path.slice(home.length + 1) };
  return { location };
}

/** Builds the launch request for one session. */
export function buildDovecotLaunchRequest(p: DovecotLaunchParams): LaunchRequest {
  const { session, identity } = p;
  const protocol = session.protocol;
  const { location, maildir } = dovecotMailLocation(session.user.mail, identity.home);
  const env: Record<string, string> = {
    ...(p.mode === 'direct' ? p.captured ?? {} : {}),
    USER: session.user.login,
    HOME: identity.home,
    // MAIL overrides mail_location, as the userdb `mail` field does.
    MAIL: location,
  };
  if (session.remote.address) env.IP = session.remote.address;
  if (session.local.address) env.LOCAL_IP = session.local.address;
  if (protocol === 'imap') {
    if (!isValidImapTag(session.loginTag)) throw new BackendError(`invalid IMAP login tag ${JSON.stringify(session.loginTag)}`);
    if (p.pipelined.length > 0 || session.capabilityRequested) {
      env.CLIENT_INPUT = imapClientInput(session.loginTag, session.capabilityRequested, p.pipelined);
    } else {
      env.IMAPLOGINTAG = session.loginTag;
    }
  } else {
    env.CLIENT_INPUT = pop3ClientInput(p.pipelined);
  }
  const direct = p.mode === 'direct';
  return {
    sessionId: session.sessionId,
    command: direct ? p.binaryPath : p.doveconfPath,
    args: direct ? [] : ['-c', p.configPath, '-f', `service=${protocol}`, '-m', protocol, '-e', p.binaryPath],
    env,
    cwd: identity.home,
    uid: identity.uid,
    gid: identity.gid,
    home: { path: identity.home, maildir },
    stderr: 'log',
    label: `dovecot-${protocol}`,
  };
}
