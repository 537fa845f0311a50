/**
 * The pd_crypt addon (`native/`): the system's crypt(3), libxcrypt's `crypt_rn` on Debian 12, which
 * is what Dovecot's `password-scheme-crypt.c` calls. Built from source by the package's `install`
 * script (node-gyp); loaded lazily, once. Where it is not built, {@link cryptAddon} answers
 * `undefined` and the crypt(3) families are computed in JavaScript on the worker pool (about six
 * times the CPU per SHA512-CRYPT hash, see docs/performance.md); {@link passwordCryptBackend} says
 * which one is in use so the caller can log it.
 */
import { createRequire } from 'node:module';

/** The addon's functions. */
export interface CryptAddon {
  /**
   * `crypt_rn(password, setting)` on libuv's thread pool. Resolves the whole crypt(3) string, or
   * `null` when libxcrypt refuses the setting or the passphrase (unknown method, rounds out of its
   * range, passphrase over 512 bytes). Throws `TypeError` for a password holding a NUL byte.
   */
  crypt(password: Buffer, setting: string): Promise<string | null>;
  /** The same on the calling thread (tests and measurements only: it blocks). */
  cryptSync(password: Buffer, setting: string): string | null;
}

/** Which implementation computes the crypt(3) families. */
export interface PasswordCryptBackend {
  /** `native`: the pd_crypt addon (libxcrypt); `javascript`: this package's own code, slower. */
  readonly kind: 'native' | 'javascript';
  /** Why the addon is not used (its load error), for a log line; absent when native. */
  readonly reason?: string;
}

const ADDON_PATH = '../native/build/Release/pd_crypt.node';
let loaded: { readonly addon?: CryptAddon; readonly reason?: string } | undefined;

function load(): { readonly addon?: CryptAddon; readonly reason?: string } {
  if (loaded) return loaded;
  try {
    loaded = { addon: createRequire(import.meta.url)(ADDON_PATH) as CryptAddon };
  } catch (e) {
    const message = (e as Error).message.split('\n')[0] ?? String(e);
    loaded = {
      reason:
        `the pd_crypt native addon is not built (${message}); ` +
        'run `npm rebuild @pigeondeliver/passwords` (needs make, a C compiler, python3 and libcrypt-dev)',
    };
  }
  return loaded;
}

/** The addon, or `undefined` when it is not built (the JavaScript fallback then applies). */
export function cryptAddon(): CryptAddon | undefined {
  return load().addon;
}

/**
 * Whether SHA256-CRYPT, SHA512-CRYPT, MD5-CRYPT and BLF-CRYPT run through the system's crypt(3)
 * (`native`) or the slower JavaScript fallback, and why. Loads the addon if not yet loaded.
 */
export function passwordCryptBackend(): PasswordCryptBackend {
  const { addon, reason } = load();
  return addon ? { kind: 'native' } : { kind: 'javascript', reason: reason ?? 'unknown' };
}
