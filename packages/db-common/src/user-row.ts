/**
 * The `users` table as rows: which columns exist, how a row becomes a {@link UserRecord} (every column
 * checked, a bad row is an {@link InvalidDataError} naming the user and the column) and how the
 * fields an administrator gives are checked and become column values.
 */
import type { NewUser, UserChanges, UserRecord } from '@pigeondeliver/core';
import { decodeBoolean, decodeDate, decodeInteger, decodeString, invalidColumn } from './column-decoders.js';
import { InvalidInputError } from './invalid-input-error.js';

/** Largest uid/gid we store: the columns are 32-bit signed integers on every dialect. */
export const MAX_ID = 2_147_483_647;

/** Every column of `users`, selected explicitly (never `*`) so the one login query is stable. */
export const USER_COLUMNS = [
  'id', 'login', 'password', 'uid', 'gid', 'home', 'mail', 'host', 'backend', 'quota_bytes', 'enabled',
  'allow_imap', 'allow_pop3', 'version', 'created_at', 'updated_at', 'last_login_at', 'last_login_ip',
] as const;

/** Column sizes, shared with the migration so checks and schema agree. */
export const USER_COLUMN_SIZES = { login: 255, password: 1024, home: 1024, mail: 1024, host: 255, backend: 255, lastLoginIp: 64 } as const;

type FieldSpec =
  | { readonly column: string; readonly kind: 'string'; readonly max: number; readonly secret?: boolean; readonly absolute?: boolean }
  | { readonly column: string; readonly kind: 'integer'; readonly max: number }
  | { readonly column: string; readonly kind: 'boolean' };

/** The settable fields of {@link NewUser} (except `login`) and their columns. */
const FIELDS: Readonly<Record<keyof UserChanges, FieldSpec>> = {
  password: { column: 'password', kind: 'string', max: USER_COLUMN_SIZES.password, secret: true },
  uid: { column: 'uid', kind: 'integer', max: MAX_ID },
  gid: { column: 'gid', kind: 'integer', max: MAX_ID },
  home: { column: 'home', kind: 'string', max: USER_COLUMN_SIZES.home, absolute: true },
  mail: { column: 'mail', kind: 'string', max: USER_COLUMN_SIZES.mail },
  host: { column: 'host', kind: 'string', max: USER_COLUMN_SIZES.host },
  backend: { column: 'backend', kind: 'string', max: USER_COLUMN_SIZES.backend },
  quotaBytes: { column: 'quota_bytes', kind: 'integer', max: Number.MAX_SAFE_INTEGER },
  enabled: { column: 'enabled', kind: 'boolean' },
  allowImap: { column: 'allow_imap', kind: 'boolean' },
  allowPop3: { column: 'allow_pop3', kind: 'boolean' },
};

/** Column values to write. */
export type ColumnValues = Record<string, string | number | boolean | Date | null>;

function checkField(field: string, spec: FieldSpec, value: unknown): string | number | boolean | null {
  const fail = (expected: string) =>
    new InvalidInputError(`${field} must be ${expected}${spec.kind === 'string' && spec.secret ? '' : `, got ${JSON.stringify(value) ?? String(value)}`}`);
  if (spec.kind === 'boolean') {
    if (typeof value !== 'boolean') throw fail('true or false');
    return value;
  }
  if (value === null) return null;
  if (spec.kind === 'integer') {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > spec.max) {
      throw fail(`null or an integer from 0 to ${spec.max}`);
    }
    return value;
  }
  if (typeof value !== 'string') throw fail('null or a string');
  if (value.length > spec.max) throw fail(`at most ${spec.max} characters`);
  if (value.includes('\u0000')) throw fail('free of NUL characters');
  if (spec.absolute && !value.startsWith('/')) throw fail('null or an absolute path');
  return value;
}

/**
 * Checks `changes` field by field and maps them to columns. Unknown fields (including `login`, which
 * is the key and cannot change) are refused so a typo never silently does nothing.
 */
export function changesToColumns(changes: UserChanges): ColumnValues {
  if (typeof changes !== 'object' || changes === null) throw new InvalidInputError('user changes must be an object');
  const out: ColumnValues = {};
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const spec = (FIELDS as Record<string, FieldSpec | undefined>)[field];
    if (!spec) throw new InvalidInputError(`unknown user field ${JSON.stringify(field)} (settable: ${Object.keys(FIELDS).join(', ')})`);
    out[spec.column] = checkField(field, spec, value);
  }
  return out;
}

/** Columns of a new row: defaults (enabled, both protocols allowed) overridden by the given fields. */
export function newUserToColumns(user: NewUser): ColumnValues {
  const { login: _login, ...rest } = user;
  return { enabled: true, allow_imap: true, allow_pop3: true, ...changesToColumns(rest) };
}

/** Decodes one `users` row; throws {@link InvalidDataError} naming the user and the bad column. */
export function rowToUser(row: Record<string, unknown>): UserRecord {
  const login = typeof row['login'] === 'string' ? row['login'] : `#${String(row['id'])}`;
  const who = `user ${JSON.stringify(login)}`;
  const home = decodeString(who, 'home', row['home'], true);
  if (home !== null && !home.startsWith('/')) throw invalidColumn(who, 'home', 'NULL or an absolute path', home);
  return {
    id: decodeInteger(who, 'id', row['id'], 1, Number.MAX_SAFE_INTEGER, false),
    login: decodeString(who, 'login', row['login'], false),
    password: decodeString(who, 'password', row['password'], true, true),
    uid: decodeInteger(who, 'uid', row['uid'], 0, MAX_ID, true),
    gid: decodeInteger(who, 'gid', row['gid'], 0, MAX_ID, true),
    home,
    mail: decodeString(who, 'mail', row['mail'], true),
    host: decodeString(who, 'host', row['host'], true),
    backend: decodeString(who, 'backend', row['backend'], true),
    quotaBytes: decodeInteger(who, 'quota_bytes', row['quota_bytes'], 0, Number.MAX_SAFE_INTEGER, true),
    enabled: decodeBoolean(who, 'enabled', row['enabled']),
    allowImap: decodeBoolean(who, 'allow_imap', row['allow_imap']),
    allowPop3: decodeBoolean(who, 'allow_pop3', row['allow_pop3']),
    version: decodeInteger(who, 'version', row['version'], 1, Number.MAX_SAFE_INTEGER, false),
    createdAt: decodeDate(who, 'created_at', row['created_at'], false),
    updatedAt: decodeDate(who, 'updated_at', row['updated_at'], false),
    lastLoginAt: decodeDate(who, 'last_login_at', row['last_login_at'], true),
    lastLoginIp: decodeString(who, 'last_login_ip', row['last_login_ip'], true),
  };
}
