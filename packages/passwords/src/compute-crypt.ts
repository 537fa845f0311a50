/**
 * Computes crypt(3) strings off the event loop: a {@link CryptTask} through the system's crypt(3) (the
 * pd_crypt addon, on libuv's thread pool) when it is built and can take the task, else in JavaScript
 * on the worker pool (both give the same string for every setting this package accepts:
 * test/unit/native-crypt); the other methods of the system library only through the addon.
 */
import { availableParallelism } from 'node:os';
import { ConcurrencyLimit } from './concurrency-limit.js';
import type { CryptTask } from './crypt-task.js';
import { cryptAddon, type CryptAddon } from './native-crypt.js';
import { sharedCryptPool } from './worker-pool.js';

/**
 * Most hashes on libuv's thread pool at once: one thread less than the pool (`UV_THREADPOOL_SIZE`,
 * default 4), so fs calls and `dns.lookup` never wait behind a burst of logins, and no more than the
 * cores (more would only queue inside the kernel). The rest wait here, in arrival order.
 */
export function nativeCryptConcurrency(): number {
  const poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(poolSize - 1, availableParallelism()));
}

let limit: ConcurrencyLimit | undefined;

/** `addon.crypt` under the process-wide {@link nativeCryptConcurrency} limit. */
function limitedCrypt(addon: CryptAddon, password: Uint8Array, setting: string): Promise<string | null> {
  limit ??= new ConcurrencyLimit(nativeCryptConcurrency());
  const bytes = Buffer.from(password.buffer, password.byteOffset, password.byteLength);
  return limit.run(() => addon.crypt(bytes, setting));
}

/**
 * The crypt(3) string for `task`. A password holding a NUL byte (a C string ends there) goes to the
 * JavaScript code, which hashes every byte as this package always has; so does a setting or a
 * passphrase libxcrypt refuses (it answers `null`), so the result never depends on whether the addon
 * is built.
 */
export async function computeCrypt(task: CryptTask): Promise<string> {
  const addon = cryptAddon();
  if (addon && !task.password.includes(0)) {
    const result = await limitedCrypt(addon, task.password, task.setting);
    if (result !== null) return result;
  }
  return sharedCryptPool().run(task);
}

/**
 * A crypt(3) method only the system library computes (DES, BSDi `_`, yescrypt `$y$`, gost-yescrypt
 * `$gy$`, scrypt `$7$`, `$2x$`, ...): the string; `null` when libxcrypt refuses `setting` or the
 * passphrase; `undefined` when the addon is not built. The caller keeps passwords holding a NUL byte
 * away (a C string ends there).
 */
export async function computeSystemCrypt(password: Uint8Array, setting: string): Promise<string | null | undefined> {
  const addon = cryptAddon();
  if (!addon) return undefined;
  return limitedCrypt(addon, password, setting);
}
