/**
 * Reads Courier's variable files (`etc/courier/imapd`, `etc/courier/pop3d`). Courier's own start
 * script sources them with `set -a` under `env -i`, so every assignment becomes the daemon's
 * environment. The files are plain shell assignments; this parser accepts exactly that subset:
 * `NAME=value` with unquoted, "double-quoted" (with `$NAME`/`${NAME}` expansion and backslash escapes)
 * or 'single-quoted' parts, `#` comments and backslash-newline continuations. Anything else (commands,
 * backquotes) is refused with the line number, instead of being half-understood.
 */
import { readFileSync } from 'node:fs';
import { BackendError } from '@pigeondeliver/core';

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Parses shell assignments; `where` names the file in error messages. */
export function parseCourierVariables(text: string, where = 'courier config'): Record<string, string> {
  const vars: Record<string, string> = {};
  let i = 0;
  let line = 1;
  const fail = (msg: string): never => {
    throw new BackendError(`${where}:${line}: ${msg}`);
  };
  const expand = (): string => {
    // at '$'
    i++;
    let name: string | undefined;
    if (text[i] === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) fail('unterminated ${');
      name = text.slice(i + 1, end);
      i = end + 1;
    } else {
      NAME.lastIndex = i;
      const m = NAME.exec(text);
      if (!m) return '$';
      name = m[0];
      i += name.length;
    }
    return vars[name!] ?? '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ';') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m || text[i + m[0].length] !== '=') fail('expected NAME=value');
    const name = m![0];
    i += name.length + 1;
    let value = '';
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === ';') break;
      if (ch === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) fail('unterminated single quote');
        value += text.slice(i + 1, end);
        line += text.slice(i, end).split('\n').length - 1;
        i = end + 1;
      } else if (ch === '"') {
        i++;
        for (;;) {
          if (i >= text.length) fail('unterminated double quote');
          const q = text[i]!;
          if (q === '"') {
            i++;
            break;
          }
          if (q === '\\' && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1]!)) {
            if (text[i + 1] !== '\n') value += text[i + 1];
            else line++;
            i += 2;
          } else if (q === '$') value += expand();
          else if (q === '`') fail('command substitution is not supported');
          else {
            if (q === '\n') line++;
            value += q;
            i++;
          }
        }
      } else if (ch === '\\') {
        if (text[i + 1] === '\n') line++;
        else value += text[i + 1] ?? '';
        i += 2;
      } else if (ch === '$') value += expand();
      else if (ch === '`') fail('command substitution is not supported');
      else {
        value += ch;
        i++;
      }
    }
    vars[name] = value;
  }
  return vars;
}

/** Reads and parses a variable file; BackendError when it cannot be read or parsed. */
export function readCourierVariables(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BackendError(`cannot read Courier's variable file ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseCourierVariables(text, path);
}
