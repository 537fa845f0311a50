/**
 * The scripted IMAP (RFC 9051/3501) and POP3 (RFC 1939) dialogues the load generator runs. Each returns
 * when the server's reply is complete, and throws on an unexpected reply.
 */
import type { LineClient, ReplyComplete } from './line-client.js';

/** Protocol of a target. */
export type Protocol = 'imap' | 'pop3';

/** A tagged IMAP reply is complete when the tail holds `<tag> OK|NO|BAD ...\r\n` (RFC 3501 §2.2.2). */
function imapTagged(tag: string): ReplyComplete {
  const pattern = new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n$`);
  return (tail) => pattern.test(tail);
}

/** Any complete line (greetings, POP3 single-line replies). */
const oneLine: ReplyComplete = (tail) => tail.endsWith('\r\n');

/** A POP3 multi-line reply ends with CRLF.CRLF (RFC 1939 §3); an -ERR is single-line. */
const pop3Multi: ReplyComplete = (tail) => tail.endsWith('\r\n.\r\n') || (tail.startsWith('-ERR') && tail.endsWith('\r\n'));

/** IMAP quoted string (RFC 3501 §4.3): the bench's passwords are plain ASCII without quotes. */
function quoted(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** Reads the greeting; throws unless it is `* OK` / `+OK`. */
export async function readGreeting(client: LineClient, protocol: Protocol): Promise<void> {
  const { text } = await client.read(oneLine);
  const ok = protocol === 'imap' ? text.startsWith('* OK') : text.startsWith('+OK');
  if (!ok) throw new Error(`unexpected greeting: ${text.trim().slice(0, 120)}`);
}

/** Logs in; resolves with true on success, false when the server refused (the reply is returned too). */
export async function logIn(client: LineClient, protocol: Protocol, user: string, password: string): Promise<{ ok: boolean; reply: string }> {
  if (protocol === 'imap') {
    const { text } = await client.command(`a1 LOGIN ${quoted(user)} ${quoted(password)}\r\n`, imapTagged('a1'));
    const line = lastLine(text);
    return { ok: line.startsWith('a1 OK'), reply: line };
  }
  const userReply = await client.command(`USER ${user}\r\n`, oneLine);
  if (!userReply.text.startsWith('+OK')) return { ok: false, reply: userReply.text.trim() };
  const { text } = await client.command(`PASS ${password}\r\n`, oneLine);
  return { ok: text.startsWith('+OK'), reply: text.trim() };
}

/** Logs out (IMAP LOGOUT, POP3 QUIT) and waits for the reply. */
export async function logOut(client: LineClient, protocol: Protocol): Promise<void> {
  if (protocol === 'imap') await client.command('a9 LOGOUT\r\n', imapTagged('a9'));
  else await client.command('QUIT\r\n', oneLine);
}

/** Downloads message 1 (IMAP SELECT + FETCH BODY[], POP3 RETR); resolves with the bytes received. */
export async function fetchFirstMessage(client: LineClient, protocol: Protocol): Promise<number> {
  if (protocol === 'imap') {
    const select = await client.command('a2 SELECT INBOX\r\n', imapTagged('a2'));
    if (!lastLine(select.text).startsWith('a2 OK')) throw new Error(`SELECT failed: ${lastLine(select.text)}`);
    const { bytes, text } = await client.command('a3 FETCH 1 BODY.PEEK[]\r\n', imapTagged('a3'));
    if (!lastLine(text).startsWith('a3 OK')) throw new Error(`FETCH failed: ${lastLine(text)}`);
    return bytes;
  }
  const { bytes, text } = await client.command('RETR 1\r\n', pop3Multi);
  if (text.startsWith('-ERR')) throw new Error(`RETR failed: ${text.trim()}`);
  return bytes;
}

function lastLine(text: string): string {
  const lines = text.split('\r\n').filter((l) => l.length > 0);
  return lines[lines.length - 1] ?? '';
}
