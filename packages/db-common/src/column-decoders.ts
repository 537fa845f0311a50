/**
 * Decoding of raw column values, identical for every driver: better-sqlite3 returns 0/1 for booleans
 * and milliseconds for our timestamps, pg returns int8 as strings and timestamptz as Date, mysql2
 * returns TINYINT(1) as numbers. Anything else is a bad row: {@link InvalidDataError} naming the row
 * and the column (never the value of a secret column).
 */
import { InvalidDataError } from '@pigeondeliver/core';

/** Identifies the row in messages: `user "bob"`, `node "n1"`. */
export type RowLabel = string;

/** The error for a column value that is not what the schema promises. */
export function invalidColumn(row: RowLabel, column: string, expected: string, value: unknown, secret = false): InvalidDataError {
  const shown = secret ? 'a value' : describe(value);
  return new InvalidDataError(`${row}: column ${column} holds ${shown}, expected ${expected}`);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (value instanceof Date) return `date ${String(value)}`;
  return `${typeof value} ${String(value)}`;
}

/** An integer in [min, max] (number, bigint or integer string); `null` allowed when `nullable`. */
export function decodeInteger(row: RowLabel, column: string, value: unknown, min: number, max: number, nullable: true): number | null;
export function decodeInteger(row: RowLabel, column: string, value: unknown, min: number, max: number, nullable: false): number;
export function decodeInteger(row: RowLabel, column: string, value: unknown, min: number, max: number, nullable: boolean): number | null {
  if (value === null || value === undefined) {
    if (nullable) return null;
    throw invalidColumn(row, column, 'an integer', value);
  }
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) n = Number(value);
  else throw invalidColumn(row, column, `an integer from ${min} to ${max}`, value);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw invalidColumn(row, column, `an integer from ${min} to ${max}`, value);
  return n;
}

/** A boolean stored as a native boolean or 0/1. */
export function decodeBoolean(row: RowLabel, column: string, value: unknown): boolean {
  if (value === true || value === 1 || value === '1' || value === 1n) return true;
  if (value === false || value === 0 || value === '0' || value === 0n) return false;
  throw invalidColumn(row, column, 'a boolean (true/false or 1/0)', value);
}

/** A string (`nullable`: or NULL). Secret columns are never echoed in the error. */
export function decodeString(row: RowLabel, column: string, value: unknown, nullable: true, secret?: boolean): string | null;
export function decodeString(row: RowLabel, column: string, value: unknown, nullable: false, secret?: boolean): string;
export function decodeString(row: RowLabel, column: string, value: unknown, nullable: boolean, secret = false): string | null {
  if (value === null || value === undefined) {
    if (nullable) return null;
    throw invalidColumn(row, column, 'a string', value, secret);
  }
  if (typeof value !== 'string') throw invalidColumn(row, column, nullable ? 'a string or NULL' : 'a string', value, secret);
  return value;
}

/**
 * A timestamp: a Date (pg, mysql2), milliseconds since the epoch (how knex binds Dates for
 * better-sqlite3), or an ISO/SQL text (rows written by hand; a text without zone is UTC).
 */
export function decodeDate(row: RowLabel, column: string, value: unknown, nullable: true): Date | null;
export function decodeDate(row: RowLabel, column: string, value: unknown, nullable: false): Date;
export function decodeDate(row: RowLabel, column: string, value: unknown, nullable: boolean): Date | null {
  if (value === null || value === undefined) {
    if (nullable) return null;
    throw invalidColumn(row, column, 'a timestamp', value);
  }
  let d: Date | undefined;
  if (value instanceof Date) d = value;
  else if (typeof value === 'number' || typeof value === 'bigint') d = new Date(Number(value));
  else if (typeof value === 'string') {
    const text = value.trim();
    if (/^-?\d+$/.test(text)) d = new Date(Number(text));
    else d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  }
  if (d === undefined || Number.isNaN(d.getTime())) throw invalidColumn(row, column, 'a timestamp', value);
  return d;
}
