/**
 * Session ids: 12 URL-safe characters (72 random bits), short enough for every log line and for
 * Dovecot's `x-session-id`, random enough that two sessions never share one.
 *
 * `node:crypto` is fetched at the first call (`process.getBuiltinModule`, Node >= 20.16), not imported:
 * this module is on the pre-greeting path of the one-process-per-connection forkers, and loading all
 * of crypto there costs about 2 ms before the greeting (docs/performance.md, "Time to greeting").
 */
let randomBytes: typeof import('node:crypto').randomBytes | undefined;

/** A fresh session id. */
export function newSessionId(): string {
  randomBytes ??= process.getBuiltinModule('node:crypto').randomBytes;
  return randomBytes(9).toString('base64url');
}
