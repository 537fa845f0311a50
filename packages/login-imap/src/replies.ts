/**
 * IMAP response formatting (RFC 9051 §7.1) and the texts of the pre-login replies, with the RFC 5530
 * response codes. One place, so every command words its replies the same way.
 */

/** Tagged and untagged status words. */
export enum ImapReply {
  Ok = 'OK',
  No = 'NO',
  Bad = 'BAD',
  Bye = 'BYE',
}

/** `tag STATUS [CODE] text`. */
export function tagged(tag: string, status: ImapReply, text: string, code?: string): string {
  return `${tag} ${status} ${code ? `[${code}] ` : ''}${text}`;
}

/** `* STATUS [CODE] text` or `* DATA`. */
export function untagged(text: string): string {
  return `* ${text}`;
}

/** `+ data` (continuation request, RFC 9051 §7.5). */
export function continuation(text: string): string {
  return text.length > 0 ? `+ ${text}` : '+ ';
}

/** Reply texts (Dovecot's wording where clients may look for it). */
export const TEXT = {
  authFailed: 'Authentication failed.',
  tempFail: 'Temporary authentication failure, try again later.',
  backendFailed: 'Temporary failure starting your session, try again later.',
  disabled: 'Account is disabled, contact your administrator.',
  protocolDenied: 'IMAP access is not allowed for this account.',
  privacyRequired: 'Plaintext authentication disallowed on non-secure (SSL/TLS) connections.',
  unsupportedMechanism: 'Unsupported authentication mechanism.',
  lineTooLong: 'Line too long.',
  literalTooBig: 'Literal too large.',
  tooManyBad: 'Too many invalid IMAP commands.',
  tooManyAuth: 'Too many authentication failures.',
  tooManyCommands: 'Too many commands before login.',
  loginTimeout: 'Login timeout.',
  idle: 'Disconnected for inactivity.',
  internal: 'Internal error, closing the connection.',
} as const;
