/**
 * MD5 (RFC 1321) with its internal state exposed: the one thing `node:crypto` cannot do, and what
 * Dovecot's CRAM-MD5 scheme stores (`hmac_md5_get_cram_context()`: the HMAC inner and outer states
 * after the padded key block, RFC 2104 section 4 "precomputed" variant).
 */

/** The four 32-bit MD5 state words `a, b, c, d`. */
export type Md5State = readonly [number, number, number, number];

/** RFC 1321 section 3.3 initial state. */
export const MD5_INITIAL_STATE: Md5State = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

/** RFC 1321 section 3.4 table T[i] = floor(abs(sin(i + 1)) * 2^32). */
const T = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);
/** Per-round left rotations. */
const SHIFT = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** Runs the MD5 compression function over one 64-byte block and returns the new state. */
export function md5Compress(state: Md5State, block: Uint8Array): Md5State {
  if (block.length !== 64) throw new RangeError(`md5Compress needs a 64-byte block, got ${block.length}`);
  const x = new Uint32Array(16);
  for (let i = 0; i < 16; i++) {
    x[i] = (block[i * 4]! | (block[i * 4 + 1]! << 8) | (block[i * 4 + 2]! << 16) | (block[i * 4 + 3]! << 24)) >>> 0;
  }
  let [a, b, c, d] = state;
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) % 16;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) % 16;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) % 16;
    }
    const sum = (a + f + T[i]! + x[g]!) >>> 0;
    const s = SHIFT[(i >> 4) * 4 + (i % 4)]!;
    const rotated = ((sum << s) | (sum >>> (32 - s))) >>> 0;
    a = d;
    d = c;
    c = b;
    b = (b + rotated) >>> 0;
  }
  return [(state[0] + a) >>> 0, (state[1] + b) >>> 0, (state[2] + c) >>> 0, (state[3] + d) >>> 0];
}

/**
 * Finishes an MD5 whose first `processedBytes` (a multiple of 64) already went into `state`, over
 * `data`, with RFC 1321 section 3.1/3.2 padding and length; returns the 16-byte digest.
 */
export function md5Finish(state: Md5State, processedBytes: number, data: Uint8Array): Buffer {
  if (processedBytes % 64 !== 0) throw new RangeError('md5Finish: processedBytes must be a multiple of 64');
  const total = processedBytes + data.length;
  const padded = Buffer.alloc(Math.ceil((data.length + 9) / 64) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const bits = BigInt(total) * 8n;
  padded.writeBigUInt64LE(bits & 0xffffffffffffffffn, padded.length - 8);
  let current = state;
  for (let off = 0; off < padded.length; off += 64) current = md5Compress(current, padded.subarray(off, off + 64));
  return md5StateBytes(current);
}

/** The state as 16 bytes, each word little-endian (also the digest layout). */
export function md5StateBytes(state: Md5State): Buffer {
  const out = Buffer.alloc(16);
  state.forEach((word, i) => out.writeUInt32LE(word, i * 4));
  return out;
}

/** Reads 16 bytes (four little-endian words) back into a state. */
export function md5StateFrom(bytes: Uint8Array): Md5State {
  if (bytes.length !== 16) throw new RangeError(`an MD5 state is 16 bytes, got ${bytes.length}`);
  const buf = Buffer.from(bytes);
  return [buf.readUInt32LE(0), buf.readUInt32LE(4), buf.readUInt32LE(8), buf.readUInt32LE(12)];
}
