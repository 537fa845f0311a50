/**
 * The CPU-heavy crypt(3) computations, as messages the worker pool carries and the function the
 * worker runs. Kept free of worker plumbing so unit tests can call it directly.
 */
import bcrypt from 'bcryptjs';
import { md5Crypt } from './algorithms/md5-crypt.js';
import { shaCrypt } from './algorithms/sha-crypt.js';

/** Which crypt(3) family to compute. */
export type CryptAlgorithm = 'md5-crypt' | 'sha-crypt' | 'bcrypt';

/** One computation: the full crypt string for `password` under `setting` (a stored hash or a fresh salt). */
export interface CryptTask {
  readonly algorithm: CryptAlgorithm;
  readonly password: Uint8Array;
  readonly setting: string;
}

/** The worker's answer: the crypt string, or why it could not be computed (never holds the password). */
export type CryptReply = { readonly ok: true; readonly result: string } | { readonly ok: false; readonly error: string };

/**
 * Runs `task` synchronously. bcryptjs takes the password as a string and UTF-8 encodes it, so the bytes
 * are decoded as UTF-8 first; callers only send bcrypt passwords that round-trip (see the BLF scheme).
 */
export function runCryptTask(task: CryptTask): string {
  switch (task.algorithm) {
    case 'md5-crypt':
      return md5Crypt(task.password, task.setting);
    case 'sha-crypt':
      return shaCrypt(task.password, task.setting);
    case 'bcrypt':
      return bcrypt.hashSync(Buffer.from(task.password).toString('utf8'), task.setting);
  }
}
