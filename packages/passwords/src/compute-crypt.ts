/**
 * Computes a {@link CryptTask} off the event loop: through the system's crypt(3) (the pd_crypt addon,
 * on libuv's thread pool) when it is built and can take the task, else in JavaScript on the worker
 * pool. Both give the same string for every setting this package accepts (test/unit/native-crypt).
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
