/**
 * {@link IPasswordVerifier} over @pigeondeliver/passwords (Dovecot `{SCHEME}` hashes). The package
 * is imported on first use, so a per-connection launch that never checks a password (a client that
 * only asks CAPABILITY) does not load native hashing modules.
 */
import { createHmac } from 'node:crypto';
import { inject, injectable } from '@pigeondeliver/core';
import type { LoginCommonSettings } from '../login-common-settings.js';
import { ILoginCommonSettings } from '../tokens.js';
import type { IPasswordVerifier, ScramCredentials, ScramHash } from './password-verifier.js';

/** The part of @pigeondeliver/passwords used here. */
interface PasswordsModule {
  verifyPassword(stored: string, password: string | Buffer, options?: { defaultScheme?: string; user?: string }): Promise<boolean>;
  cramMd5Secret(stored: string, options?: { defaultScheme?: string; user?: string }): unknown;
  cramMd5Digest(secret: unknown, challenge: Buffer): Buffer | undefined;
  scramCredentials(stored: string, hash: ScramHash, options?: { defaultScheme?: string; user?: string }): Promise<ScramCredentials | undefined> | ScramCredentials | undefined;
}

/** Verifies with @pigeondeliver/passwords. */
@injectable()
export class DovecotPasswordVerifier implements IPasswordVerifier {
  private module: Promise<PasswordsModule> | undefined;

  constructor(@inject(ILoginCommonSettings) private readonly settings: LoginCommonSettings) {}

  private load(): Promise<PasswordsModule> {
    this.module ??= import('@pigeondeliver/passwords') as unknown as Promise<PasswordsModule>;
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
    try {
      const secret = p.cramMd5Secret(stored, { defaultScheme: this.defaultScheme, user });
      return secret ? p.cramMd5Digest(secret, challenge) : undefined;
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

/** RFC 2195 digest from a plaintext password: HMAC-MD5 keyed with the password. */
export function cramMd5FromPlaintext(password: Buffer, challenge: Buffer): Buffer {
  return createHmac('md5', password).update(challenge).digest();
}
