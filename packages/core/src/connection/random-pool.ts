/**
 * Random bytes for the per-login tokens (session ids, hand-off cookies) from a pool filled 4 KiB at a
 * time by the CSPRNG, as uuid does: one crypto call per about a hundred logins instead of one or two
 * per login (docs/performance.md, handoff mode). Every returned slice holds bytes no other caller
 * gets: a refill allocates a new pool, it never overwrites one handed out.
 *
 * `node:crypto` is fetched at the first call (`process.getBuiltinModule`, Node >= 20.16), not imported:
 * session ids are made on the pre-greeting path of the one-process-per-connection forkers, where
 * loading all of crypto costs about 2 ms before the greeting (docs/performance.md, "Time to greeting").
 */
const POOL_BYTES = 4096;

let randomBytes: typeof import('node:crypto').randomBytes | undefined;
let pool: Buffer = Buffer.alloc(0);
let offset = 0;

/** `size` fresh random bytes (a view into the pool; larger requests go to the CSPRNG directly). */
export function pooledRandomBytes(size: number): Buffer {
  randomBytes ??= process.getBuiltinModule('node:crypto').randomBytes;
  if (size > POOL_BYTES / 8) return randomBytes(size);
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + size);
  offset += size;
  return out;
}
