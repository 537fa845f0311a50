/**
 * Reads one IMAP command from the client (RFC 9051 §9 grammar as clients use it before login):
 * tag, command name, then atoms, quoted strings (only `\"` and `\\` escapes, §4.3), NIL,
 * parenthesized lists (ID), synchronizing literals `{n}` answered with a `+ OK` continuation
 * (§7.5) and non-synchronizing literals `{n+}` (RFC 7888 LITERAL+). Everything is bounded: each
 * line by Limits.maxLineLength, each literal by Limits.maxLiteralSize, the whole command by
 * {@link ImapParserLimits.maxCommandBytes}.
 */
import type { InputReader } from '@pigeondeliver/login-common';

/** The line before the first read (shared: an idle connection keeps no buffer of its own). */
const NO_LINE: Buffer = Buffer.alloc(0);

/** A parsed argument. Strings (quoted or literal) stay bytes: passwords may be 8-bit. */
export type ImapValue =
  | { readonly type: 'atom'; readonly value: string }
  | { readonly type: 'string'; readonly value: Buffer }
  | { readonly type: 'nil' }
  | { readonly type: 'list'; readonly items: readonly ImapValue[] };

/** One complete command. */
export interface ImapCommandLine {
  readonly tag: string;
  /** Upper-cased command name. */
  readonly name: string;
  readonly args: readonly ImapValue[];
  /** The first line as received (for redacted logging). */
  readonly firstLine: Buffer;
}

/** What went wrong while parsing; the dispatcher turns it into a reply. */
export enum ImapParseFailure {
  /** No usable tag: `* BAD`. */
  BadTag = 'bad-tag',
  /** Syntax error after a valid tag: `tag BAD`. */
  Syntax = 'syntax',
  /** Synchronizing literal over the limit: `tag BAD [TOOBIG]`, the client sends nothing more for it. */
  LiteralTooBig = 'literal-too-big',
  /** Non-synchronizing literal over the limit: the bytes are coming anyway, `* BYE [TOOBIG]`. */
  NonSyncLiteralTooBig = 'non-sync-literal-too-big',
}

/** A command that could not be parsed. `tag` is set when it was readable. */
export class ImapParseError extends Error {
  constructor(
    readonly failure: ImapParseFailure,
    message: string,
    readonly tag?: string,
  ) {
    super(message);
    this.name = 'ImapParseError';
  }
}

/** Bounds of one command. */
export interface ImapParserLimits {
  readonly maxLineLength: number;
  readonly maxLiteralSize: number;
  /** Lines plus literals of one command. */
  readonly maxCommandBytes: number;
}

/** ATOM-CHAR: any CHAR except atom-specials `( ) { SP CTL % * " \ ]` (RFC 9051 §9). */
// eslint-disable-next-line no-control-regex -- CTL is part of the grammar
const ATOM = /^[^(){ \x00-\x1f\x7f%*"\\\]]+$/;
/** Tag: ASTRING-CHAR except `+` (RFC 9051 §9 `tag`): atom chars plus `]`. */
// eslint-disable-next-line no-control-regex -- CTL is part of the grammar
const TAG = /^[^(){ \x00-\x1f\x7f%*"\\+]+$/;
const MAX_LIST_DEPTH = 4;

/** Reads commands from an {@link InputReader}. */
export class ImapParser {
  private line: Buffer = NO_LINE;
  private pos = 0;
  private total = 0;
  private tag = '';

  constructor(
    private readonly reader: InputReader,
    private readonly limits: ImapParserLimits,
    /** Sends the `+ OK` continuation for a synchronizing literal. */
    private readonly sendContinuation: () => void,
  ) {}

  /** Reads and parses the next command. Rejects with InputError (reader) or {@link ImapParseError}. */
  async readCommand(): Promise<ImapCommandLine> {
    this.line = await this.reader.readLine(this.limits.maxLineLength);
    const firstLine = this.line;
    this.pos = 0;
    this.total = this.line.length;
    this.tag = '';
    const tag = this.word();
    if (!TAG.test(tag)) {
      throw new ImapParseError(ImapParseFailure.BadTag, 'Error in IMAP command received by server.');
    }
    this.tag = tag;
    if (!this.eat(0x20)) throw this.syntax('Missing command.');
    const name = this.word();
    if (!ATOM.test(name)) throw this.syntax('Invalid command name.');
    const args: ImapValue[] = [];
    while (this.pos < this.line.length) {
      if (!this.eat(0x20)) throw this.syntax('Expected a space between arguments.');
      args.push(await this.value(0));
    }
    return { tag, name: name.toUpperCase(), args, firstLine };
  }

  private syntax(message: string): ImapParseError {
    return new ImapParseError(ImapParseFailure.Syntax, message, this.tag);
  }

  private eat(byte: number): boolean {
    if (this.line[this.pos] !== byte) return false;
    this.pos++;
    return true;
  }

  /** Bytes up to the next space (or end of line), as latin1 text for checking. */
  private word(): string {
    const start = this.pos;
    while (this.pos < this.line.length && this.line[this.pos] !== 0x20) this.pos++;
    return this.line.subarray(start, this.pos).toString('latin1');
  }

  private async value(depth: number): Promise<ImapValue> {
    const c = this.line[this.pos];
    if (c === 0x22) return this.quoted();
    if (c === 0x7b) return this.literal();
    if (c === 0x28) {
      if (depth >= MAX_LIST_DEPTH) throw this.syntax('Lists nested too deeply.');
      this.pos++;
      const items: ImapValue[] = [];
      while (this.line[this.pos] !== 0x29) {
        if (items.length > 0 && !this.eat(0x20)) throw this.syntax('Expected a space in list.');
        if (this.pos >= this.line.length) throw this.syntax('Unterminated list.');
        items.push(await this.value(depth + 1));
      }
      this.pos++;
      return { type: 'list', items };
    }
    const start = this.pos;
    while (this.pos < this.line.length && this.line[this.pos] !== 0x20 && this.line[this.pos] !== 0x29) this.pos++;
    const text = this.line.subarray(start, this.pos).toString('latin1');
    // Atoms are ASCII; 8-bit or control bytes here are a syntax error (use a quoted string or literal).
    if (!ATOM.test(text) || /[\x80-\xff]/.test(text)) throw this.syntax('Invalid characters in atom.');
    if (text.toUpperCase() === 'NIL') return { type: 'nil' };
    return { type: 'atom', value: text };
  }

  /** quoted = DQUOTE *QUOTED-CHAR DQUOTE; only `\"` and `\\` escapes (RFC 9051 §9). */
  private quoted(): ImapValue {
    this.pos++;
    const out: number[] = [];
    for (;;) {
      if (this.pos >= this.line.length) throw this.syntax('Unterminated quoted string.');
      const c = this.line[this.pos++]!;
      if (c === 0x22) break;
      if (c === 0x5c) {
        const n = this.line[this.pos++];
        if (n !== 0x22 && n !== 0x5c) throw this.syntax('Invalid escape in quoted string.');
        out.push(n);
        continue;
      }
      if (c === 0x00 || c === 0x0d || c === 0x0a) throw this.syntax('Invalid characters in quoted string.');
      out.push(c);
    }
    return { type: 'string', value: Buffer.from(out) };
  }

  /** literal = "{" number ["+"] "}" CRLF *CHAR8 (RFC 9051 §4.3, RFC 7888 §3). Must end the line. */
  private async literal(): Promise<ImapValue> {
    const rest = this.line.subarray(this.pos).toString('latin1');
    const m = /^\{(\d{1,10})(\+?)\}$/.exec(rest);
    if (!m) throw this.syntax('Invalid literal.');
    const size = Number(m[1]);
    const nonSync = m[2] === '+';
    if (size > this.limits.maxLiteralSize || this.total + size > this.limits.maxCommandBytes) {
      throw new ImapParseError(nonSync ? ImapParseFailure.NonSyncLiteralTooBig : ImapParseFailure.LiteralTooBig, 'Literal too large.', this.tag);
    }
    if (!nonSync) this.sendContinuation();
    const data = await this.reader.readBytes(size);
    // CHAR8 excludes NUL (RFC 9051 §9); a NUL is a protocol error, not part of a password.
    if (data.indexOf(0) >= 0) throw this.syntax('NUL byte in literal.');
    const next = await this.reader.readLine(this.limits.maxLineLength);
    this.total += size + next.length;
    if (this.total > this.limits.maxCommandBytes) throw new ImapParseError(ImapParseFailure.NonSyncLiteralTooBig, 'Command too long.', this.tag);
    this.line = next;
    this.pos = 0;
    return { type: 'string', value: data };
  }
}

/** Text of an astring-like value (atom or string), or undefined for NIL/lists. */
export function valueBytes(v: ImapValue | undefined): Buffer | undefined {
  if (!v) return undefined;
  if (v.type === 'atom') return Buffer.from(v.value, 'latin1');
  if (v.type === 'string') return v.value;
  return undefined;
}
