/**
 * Splits one POP3 command line (RFC 1939 §3, RFC 2449 §3): a keyword, then arguments separated by
 * single spaces. The keyword is case-insensitive. Arguments stay raw bytes in `rest` for the commands
 * that take the rest of the line (PASS: passwords may contain spaces, as Dovecot accepts), and are
 * split on spaces in `args` for the others.
 */

/** A parsed command line. */
export interface Pop3CommandLine {
  /** Upper-case keyword. */
  readonly verb: string;
  /** Everything after the first space, as received (empty when there are no arguments). */
  readonly rest: Buffer;
  /** `rest` split on single spaces (latin1 text; empty when `rest` is empty). */
  readonly args: readonly string[];
  /** The whole line without its line end (for redacted logging only). */
  readonly line: Buffer;
}

/** Why a line is not a command. */
export enum Pop3LineProblem {
  /** A NUL byte anywhere in the line (never valid in POP3, and a classic truncation trick). */
  Nul = 'nul',
  /** The keyword is empty or not made of ASCII letters. */
  BadKeyword = 'bad-keyword',
}

/**
 * Longest keyword accepted. RFC 1939 keywords have 3 or 4 characters, RFC 2449 §3 allows longer
 * extension keywords; XCLIENT is the longest we know.
 */
const MAX_KEYWORD = 16;

/** Parses a line (without its line end). */
export function parsePop3Line(line: Buffer): Pop3CommandLine | Pop3LineProblem {
  if (line.includes(0)) return Pop3LineProblem.Nul;
  const space = line.indexOf(0x20);
  const keyword = (space < 0 ? line : line.subarray(0, space)).toString('latin1');
  if (keyword.length === 0 || keyword.length > MAX_KEYWORD || !/^[A-Za-z]+$/.test(keyword)) return Pop3LineProblem.BadKeyword;
  const rest = space < 0 ? Buffer.alloc(0) : line.subarray(space + 1);
  return {
    verb: keyword.toUpperCase(),
    rest,
    args: rest.length === 0 ? [] : rest.toString('latin1').split(' '),
    line,
  };
}
