/**
 * Dovecot's `CLIENT_INPUT`: how its imap/pop3, started pre-authenticated, receives the bytes the
 * client pipelined after the login command (checked in Dovecot 2.3.19 src/imap/main.c
 * `client_parse_input`/`main_stdio_run` and src/pop3/main.c `main_stdio_run`).
 */

/**
 * IMAP: base64 of `'0'` (or `'1'`: also send an untagged CAPABILITY, for clients that asked for it
 * before logging in) + the login tag + NUL + the pipelined bytes. When set, it replaces
 * `IMAPLOGINTAG`: imap answers `<tag> OK [CAPABILITY ...] Logged in` (RFC 3501 §6.2.3, the tagged
 * response to LOGIN) and then runs the pipelined commands.
 */
export function imapClientInput(tag: string, capabilityRequested: boolean, pipelined: Buffer): string {
  return Buffer.concat([Buffer.from(`${capabilityRequested ? '1' : '0'}${tag}\0`, 'latin1'), pipelined]).toString('base64');
}

/**
 * POP3: base64 of raw client bytes. Standalone pop3 does not say `+OK Logged in.` itself (only under
 * Dovecot's master), so the input starts with `NOOP`: pop3 answers it with `+OK` once the mailbox is
 * open and locked, and that line is the positive reply to PASS/AUTH (RFC 1939 §7: only the status
 * indicator is significant), sent by the backend itself only when it really started. Then the
 * pipelined commands follow.
 */
export function pop3ClientInput(pipelined: Buffer): string {
  return Buffer.concat([Buffer.from('NOOP\r\n', 'latin1'), pipelined]).toString('base64');
}
