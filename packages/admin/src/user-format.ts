/** How pd-admin prints users: `key: value` lines for one user, a table for a list, or JSON. */
import type { UserRecord } from '@pigeondeliver/core';

/** A user as plain JSON, without the password hash (only its scheme is shown). */
export function userToJson(user: UserRecord): Record<string, unknown> {
  return {
    login: user.login,
    password_scheme: passwordScheme(user.password),
    uid: user.uid,
    gid: user.gid,
    home: user.home,
    mail: user.mail,
    host: user.host,
    backend: user.backend,
    quota_bytes: user.quotaBytes,
    enabled: user.enabled,
    allow_imap: user.allowImap,
    allow_pop3: user.allowPop3,
    version: user.version,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    last_login_ip: user.lastLoginIp,
  };
}

/** `{SCHEME}` of a stored password, `(default)` for a bare hash, `(none)` when there is none. Never the hash. */
export function passwordScheme(stored: string | null): string {
  if (stored === null || stored === '') return '(none)';
  const m = /^\{([^}]+)\}/.exec(stored);
  return m ? m[1]! : '(default scheme)';
}

/** `key: value` lines. */
export function formatUser(user: UserRecord): string {
  return Object.entries(userToJson(user))
    .map(([k, v]) => `${k}: ${v === null ? '-' : String(v)}`)
    .join('\n');
}

/** One line per user: login, uid:gid, host, backend, flags. */
export function formatUserTable(users: readonly UserRecord[]): string {
  const rows = users.map((u) => [
    u.login,
    `${u.uid ?? '-'}:${u.gid ?? '-'}`,
    u.host || '-',
    u.backend || '-',
    [u.enabled ? 'enabled' : 'disabled', u.allowImap ? 'imap' : '', u.allowPop3 ? 'pop3' : ''].filter(Boolean).join(','),
  ]);
  const header = ['LOGIN', 'UID:GID', 'HOST', 'BACKEND', 'FLAGS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
