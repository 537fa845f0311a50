/**
 * Logins and their normalized key. The `login_key` column holds what lookups compare, so a
 * case-insensitive installation needs no `lower()` in SQL (which differs per dialect and would defeat
 * the unique index) and a case-sensitive one gets exact, binary comparison on every dialect.
 */
import { InvalidInputError } from './invalid-input-error.js';

/** Longest login accepted (the column is VARCHAR(255)). */
export const MAX_LOGIN_LENGTH = 255;

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Why a login is unusable, or undefined when it is fine. */
export function loginProblem(login: unknown): string | undefined {
  if (typeof login !== 'string') return 'must be a string';
  if (login.length === 0) return 'must not be empty';
  if (login.length > MAX_LOGIN_LENGTH) return `must be at most ${MAX_LOGIN_LENGTH} characters`;
  // Control characters would break IMAP/POP3 command syntax (RFC 3501 §9 ASTRING excludes CTL) and log lines.
  if (hasControlCharacter(login)) return 'must not contain control characters';
  // MySQL's PAD SPACE collations ignore trailing blanks; refusing edge whitespace keeps dialects identical.
  if (login.trim() !== login) return 'must not start or end with whitespace';
  return undefined;
}

/** Checks a login given by an administrator; throws {@link InvalidInputError} naming the problem. */
export function checkLogin(login: unknown): string {
  const problem = loginProblem(login);
  if (problem) throw new InvalidInputError(`login ${typeof login === 'string' ? JSON.stringify(login.slice(0, 64)) : ''} ${problem}`.replace('  ', ' '));
  return login as string;
}

/**
 * The stored key of a login: lower-cased (Unicode default case mapping, no locale) when logins are
 * case-insensitive, the login itself otherwise.
 */
export function loginKey(login: string, caseInsensitive: boolean): string {
  return caseInsensitive ? login.toLowerCase() : login;
}
