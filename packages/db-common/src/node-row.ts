/**
 * The `nodes` table as rows: a cluster peer's name, address, ports and Ed25519 public key
 * (DESIGN.md "Cluster"). Input is checked before it is written; a bad stored row is an
 * {@link InvalidDataError} naming the node and the column.
 */
import type { NodeRecord } from '@pigeondeliver/core';
import { decodeInteger, decodeString, invalidColumn } from './column-decoders.js';
import { InvalidInputError } from './invalid-input-error.js';
import type { ColumnValues } from './user-row.js';

/** Every column of `nodes` the repository reads. */
export const NODE_COLUMNS = ['name', 'address', 'imap_port', 'pop3_port', 'handoff_port', 'public_key', 'version'] as const;

/** Column sizes, shared with the migration. */
export const NODE_COLUMN_SIZES = { name: 255, address: 255, publicKey: 64 } as const;

/** Length of a raw Ed25519 public key (RFC 8032 §5.1.5). */
const ED25519_PUBLIC_KEY_BYTES = 32;

/** Checks a node name: the same rules as a host name label sequence, 1–255 printable characters. */
export function checkNodeName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > NODE_COLUMN_SIZES.name || !/^[\x21-\x7e]+$/.test(name)) {
    throw new InvalidInputError(`node name must be 1 to ${NODE_COLUMN_SIZES.name} printable characters without spaces`);
  }
  return name;
}

function checkPort(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new InvalidInputError(`${field} must be a port number from 0 (not offered) to 65535, got ${String(value)}`);
  }
  return value;
}

function isPublicKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === ED25519_PUBLIC_KEY_BYTES;
}

/** Checks a node given by an administrator and maps it to columns (without version/timestamps). */
export function nodeToColumns(node: Omit<NodeRecord, 'version'>): ColumnValues {
  if (typeof node !== 'object' || node === null) throw new InvalidInputError('node must be an object');
  const name = checkNodeName(node.name);
  if (typeof node.address !== 'string' || node.address.length === 0 || node.address.length > NODE_COLUMN_SIZES.address || /\s/.test(node.address)) {
    throw new InvalidInputError(`address of node ${name} must be a host name or IP address of 1 to ${NODE_COLUMN_SIZES.address} characters`);
  }
  const publicKey = node.publicKey ?? null;
  if (publicKey !== null && (typeof publicKey !== 'string' || !isPublicKey(publicKey))) {
    throw new InvalidInputError(`publicKey of node ${name} must be null or the base64 of a raw 32-byte Ed25519 key`);
  }
  return {
    name,
    address: node.address,
    imap_port: checkPort('imapPort', node.imapPort),
    pop3_port: checkPort('pop3Port', node.pop3Port),
    handoff_port: checkPort('handoffPort', node.handoffPort),
    public_key: publicKey,
  };
}

/** Decodes one `nodes` row. */
export function rowToNode(row: Record<string, unknown>): NodeRecord {
  const who = `node ${JSON.stringify(String(row['name']))}`;
  const publicKey = decodeString(who, 'public_key', row['public_key'], true);
  if (publicKey !== null && !isPublicKey(publicKey)) throw invalidColumn(who, 'public_key', 'NULL or a base64 Ed25519 key', publicKey);
  return {
    name: decodeString(who, 'name', row['name'], false),
    address: decodeString(who, 'address', row['address'], false),
    imapPort: decodeInteger(who, 'imap_port', row['imap_port'], 0, 65535, false),
    pop3Port: decodeInteger(who, 'pop3_port', row['pop3_port'], 0, 65535, false),
    handoffPort: decodeInteger(who, 'handoff_port', row['handoff_port'], 0, 65535, false),
    publicKey,
    version: decodeInteger(who, 'version', row['version'], 1, Number.MAX_SAFE_INTEGER, false),
  };
}
