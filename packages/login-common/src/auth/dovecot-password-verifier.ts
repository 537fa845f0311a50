/**
 * {@link IPasswordVerifier} over @pigeondeliver/passwords (Dovecot `{SCHEME}` hashes). The package
 * is imported on first use, so a per-connection launch that never checks a password (a client that
 * only asks CAPABILITY) does not load native hashing modules. When the package's crypt(3) addon is
 * not built (SHA512-CRYPT and friends then cost several times the CPU), that is logged once.
 */
import { ILogger, inject, injectable, type Logger } from '@pigeondeliver/core';
import type { LoginCommonSettings } from '../login-common-settings.js';
import { ILoginCommonSettings } from '../tokens.js';
import type { IPasswordVerifier, ScramCredentials, ScramHash } from './password-verifier.js';

type PasswordsModule = typeof import('@pigeondeliver/passwords');

/** Verifies with @pigeondeliver/passwords. */
@injectable()
export class DovecotPasswordVerifier implements IPasswordVerifier {
  private module: Promise<PasswordsModule> | undefined;

  /**
   * @param settings - login-common's settings (default password scheme).
   * @param logger - Where the missing-addon warning goes; none: not logged (tests).
   */
  constructor(
    @inject(ILoginCommonSettings) private readonly settings: LoginCommonSettings,
    @inject(ILogger) private readonly logger?: Logger,
  ) {}

  private load(): Promise<PasswordsModule> {
    this.module ??= import('@pigeondeliver/passwords').then((p) => {
      const backend = p.passwordCryptBackend();
      if (backend.kind !== 'native') {
        this.logger?.warn({ reason: backend.reason }, 'crypt(3) password schemes are computed in JavaScript (several times slower)');
      }
      return p;
    });
    return this.module;
  }

  private get defaultScheme(): string | undefined {
    return this.settings.defaultPasswordScheme || undefined;
  }

  async verify(stored: string, password: Buffer, user: string): Promise<boolean> {
    const p = await this.load();
    return p.verifyPassword(stored, password, { defaultScheme: this.defaultScheme, user });
  }

  async cramMd5Digest(stored: string, challenge: Buffer, user: string): Promise<Buffer | undefined> {
    const p = await this.load();
    // A one-way hash cannot serve CRAM-MD5 (null); bad data fails the attempt like a wrong answer.
    try {
      const context = p.cramMd5Secret(stored, { defaultScheme: this.defaultScheme, user });
      return context ? p.cramMd5Digest(context, challenge) : undefined;
    } catch {
      return undefined;
    }
  }

  async scramCredentials(stored: string, hash: ScramHash, user: string): Promise<ScramCredentials | undefined> {
    const p = await this.load();
    try {
      return (await p.scramCredentials(stored, hash, { defaultScheme: this.defaultScheme, user })) ?? undefined;
    } catch {
      return undefined;
    }
  }
}
