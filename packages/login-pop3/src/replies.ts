/**
 * POP3 response formatting (RFC 1939 §3: `+OK` / `-ERR` status indicators) with the extended response
 * codes of RFC 2449 §8 and RFC 3206, and the texts of the pre-login replies. One place, so every
 * command words its replies the same way (Dovecot's wording where clients may look for it).
 */

/** Extended response codes (RFC 2449 §8, RFC 3206). Clients see them only because CAPA lists RESP-CODES / AUTH-RESP-CODE. */
export enum Pop3Code {
  /** RFC 3206 §5: the failure is about the credentials (or the account); asking the user again makes sense. */
  Auth = 'AUTH',
  /** RFC 3206 §4: temporary system failure (database down, backend failed): retry later, never "bad password". */
  SysTemp = 'SYS/TEMP',
  /** RFC 3206 §4: permanent system failure; the user should contact the administrator. */
  SysPerm = 'SYS/PERM',
  /** RFC 2449 §8.1.1: the maildrop is locked by another session (answered by a remote server we proxy to). */
  InUse = 'IN-USE',
}

/** `+OK text` (text optional). */
export function ok(text = ''): string {
  return text.length > 0 ? `+OK ${text}` : '+OK';
}

/** `-ERR [CODE] text`. */
export function err(text: string, code?: Pop3Code): string {
  return `-ERR ${code ? `[${code}] ` : ''}${text}`;
}

/** `+ data`: a SASL continuation (RFC 5034 §4); an empty challenge is `+ `. */
export function continuation(base64: string): string {
  return `+ ${base64}`;
}

/** Reply texts. */
export const TEXT = {
  authFailed: 'Authentication failed.',
  tempFail: 'Temporary authentication failure, try again later.',
  backendFailed: 'Temporary failure starting your session, try again later.',
  disabled: 'Account is disabled, contact your administrator.',
  protocolDenied: 'POP3 access is not allowed for this account, contact your administrator.',
  privacyRequired: 'Plaintext authentication disallowed on non-secure (SSL/TLS) connections.',
  unsupportedMechanism: 'Unsupported authentication mechanism.',
  unknownCommand: 'Unknown command.',
  notBeforeLogin: 'Command not allowed before login.',
  badCharacters: 'Invalid characters in command.',
  lineTooLong: 'Line too long.',
  tooManyBad: 'Too many invalid commands.',
  tooManyAuth: 'Too many authentication failures.',
  tooManyCommands: 'Too many commands before login.',
  loginTimeout: 'Login timeout.',
  idle: 'Disconnected for inactivity.',
  internal: 'Internal error, closing the connection.',
} as const;
