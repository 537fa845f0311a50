/**
 * Computes crypt(3) strings off the event loop: a {@link CryptTask} through the system's crypt(3) (the
 * pd_crypt addon, on libuv's thread pool) when it is built and can take the task, else in JavaScript
 * on the worker pool (both give the same string for every setting this package accepts:
 * test/unit/native-crypt); the other methods of the system library only through the addon.
 */
import type { CryptTask } from './crypt-task.js';
import { cryptAddon } from './native-crypt.js';
import { sharedCryptPool } from './worker-pool.js';

/**
 * The crypt(3) string for `task`. A password holding a NUL byte (a C string ends there) goes to the
 * JavaScript code, which hashes every byte as this package always has; so does a setting or a
 * passphrase libxcrypt refuses (it answers `null`), so the result never depends on whether the addon
 * is built.
 */
export async function computeCrypt(task: CryptTask): Promise<string> {
  const addon = cryptAddon();
  if (addon && !task.password.includes(0)) {
    const result = await addon.crypt(Buffer.from(task.password.buffer, task.password.byteOffset, task.password.byteLength), task.setting);
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
  return addon.crypt(Buffer.from(password.buffer, password.byteOffset, password.byteLength), setting);
}
