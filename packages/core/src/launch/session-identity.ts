/**
 * Who a local backend runs as and where: the user row's uid/gid/home, or the virtual-mail defaults
 * (`mail_uid`, `mail_gid`, `home_template`) for rows that leave them empty.
 */
import { CORE_OPTIONS } from '../core-options.js';
import { BackendError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import type { UserRecord } from '../contracts/user.js';

/** The options that complete a user row. */
export interface IdentitySettings {
  readonly mailUid?: number;
  readonly mailGid?: number;
  readonly homeTemplate: string;
}

/** The system identity of a session. */
export interface SessionIdentity {
  readonly uid: number;
  readonly gid: number;
  /** Absolute home directory. */
  readonly home: string;
}

/** Reads {@link IdentitySettings} from validated options. */
export function identitySettingsFromOptions(options: ResolvedOptions): IdentitySettings {
  return {
    mailUid: options.maybe(CORE_OPTIONS.mailUid),
    mailGid: options.maybe(CORE_OPTIONS.mailGid),
    homeTemplate: options.get(CORE_OPTIONS.homeTemplate),
  };
}

/**
 * A login that is safe inside a path and an environment variable: no `/`, no control characters,
 * not `.` or `..`. Anything else is refused rather than escaped (it would name another directory).
 */
export function assertSafeLogin(login: string): void {
  // eslint-disable-next-line no-control-regex
  if (login.length === 0 || login === '.' || login === '..' || /[/\x00-\x1f\x7f]/.test(login)) {
    throw new BackendError(`login ${JSON.stringify(login)} cannot be used as a mail user name (empty, "/", "." or control characters)`);
  }
}

/** Expands `%u` (login), `%n` (local part), `%d` (domain, empty without `@`) and `%%`. */
export function expandHomeTemplate(template: string, login: string): string {
  assertSafeLogin(login);
  const at = login.lastIndexOf('@');
  const values: Record<string, string> = {
    u: login,
    n: at >= 0 ? login.slice(0, at) : login,
    d: at >= 0 ? login.slice(at + 1) : '',
    '%': '%',
  };
  return template.replace(/%(.)/g, (whole, key: string) => {
    const v = values[key];
    if (v === undefined) throw new BackendError(`home_template ${template}: unknown variable ${whole}`);
    return v;
  });
}

/** uid, gid and home for `user`; throws BackendError when the row and the options leave one unset. */
export function resolveSessionIdentity(user: UserRecord, settings: IdentitySettings): SessionIdentity {
  assertSafeLogin(user.login);
  const uid = user.uid ?? settings.mailUid;
  const gid = user.gid ?? settings.mailGid;
  if (uid === undefined || uid === null) throw new BackendError(`user ${user.login} has no uid and mail_uid is not set`);
  if (gid === undefined || gid === null) throw new BackendError(`user ${user.login} has no gid and mail_gid is not set`);
  const home = user.home && user.home.length > 0 ? user.home : expandHomeTemplate(settings.homeTemplate, user.login);
  if (!home.startsWith('/')) throw new BackendError(`home ${home} of user ${user.login} is not absolute`);
  return { uid, gid, home };
}
