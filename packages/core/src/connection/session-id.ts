/**
 * Session ids: 12 URL-safe characters (72 random bits), short enough for every log line and for
 * Dovecot's `x-session-id`, random enough that two sessions never share one.
 */
import { pooledRandomBytes } from './random-pool.js';

/** A fresh session id. */
export function newSessionId(): string {
  return pooledRandomBytes(9).toString('base64url');
}
