/** The POP3 greeting line (RFC 1939 §4), shared by the service and the early greeting (`greeting.ts`). */
import { ok } from './replies.js';

/** `+OK <text> ready.` and, when APOP is on, the timestamp at the end (RFC 1939 §7); without CRLF. */
export function greetingLine(text: string, timestamp: string | undefined): string {
  return ok(`${text} ready.${timestamp ? ` ${timestamp}` : ''}`);
}
