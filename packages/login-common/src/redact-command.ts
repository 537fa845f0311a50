/**
 * Log redaction of client commands (WildDuck's `*hidden*`): the arguments of the commands that carry
 * credentials never reach a log. SASL continuation lines are secrets as a whole: log
 * {@link HIDDEN} instead of them.
 */

/** What replaces a secret in logs. */
export const HIDDEN = '*hidden*';

/** Commands whose arguments are secret (IMAP LOGIN, AUTHENTICATE; POP3 PASS, APOP, AUTH). */
const SECRET_VERBS = new Set(['LOGIN', 'AUTHENTICATE', 'PASS', 'APOP', 'AUTH']);
/** Of these, the first argument (the mechanism name) is kept: it is useful and not secret. */
const KEEP_FIRST_ARGUMENT = new Set(['AUTHENTICATE', 'AUTH']);

/**
 * A command line safe to log. The verb is looked for in the first two words (IMAP lines start with a
 * tag, POP3 lines do not); everything after a secret verb becomes `*hidden*`, except the SASL
 * mechanism name of AUTHENTICATE/AUTH. Control characters are escaped and the result is bounded.
 */
export function redactCommand(line: string | Buffer, maxLength = 200): string {
  const text = (typeof line === 'string' ? line : line.toString('latin1')).replace(/\r?\n$/, '');
  const words = text.split(' ');
  for (let i = 0; i < Math.min(2, words.length); i++) {
    const verb = words[i]!.toUpperCase();
    if (!SECRET_VERBS.has(verb)) continue;
    const keep = KEEP_FIRST_ARGUMENT.has(verb) ? i + 2 : i + 1;
    if (words.length <= keep) break;
    return bound([...words.slice(0, keep), HIDDEN].join(' '), maxLength);
  }
  return bound(text, maxLength);
}

function bound(text: string, maxLength: number): string {
  // eslint-disable-next-line no-control-regex
  const safe = text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return safe.length > maxLength ? `${safe.slice(0, maxLength)}...` : safe;
}
