/**
 * DovecotBackend: starts Dovecot's imap/pop3 pre-authenticated, as the user, on the client socket
 * (or behind a relay for TLS sessions), through the injected {@link ISessionLauncher}.
 */
import {
  BackendError,
  handOffSession,
  identitySettingsFromOptions,
  ILimits,
  inject,
  injectable,
  IOptions,
  ISessionLauncher,
  resolveSessionIdentity,
  type AuthenticatedSession,
  type ClientConnection,
  type IBackend,
  type IdentitySettings,
  type Limits,
  type ResolvedOptions,
} from '@pigeondeliver/core';
import { buildDovecotLaunchRequest } from './dovecot-launch-request.js';
import { DovecotEnvironment } from './dovecot-environment.js';
import { DOVECOT_OPTIONS, type DovecotMode } from './options.js';

/** The backend-dovecot plugin's IBackend. */
@injectable()
export class DovecotBackend implements IBackend {
  readonly name = 'backend-dovecot';
  private readonly mode: DovecotMode;
  private readonly paths: { imap: string; pop3: string; doveconf: string; config: string };
  private readonly identity: IdentitySettings;
  private readonly environment: DovecotEnvironment;
  private closed = false;

  constructor(
    @inject(IOptions) options: ResolvedOptions,
    @inject(ILimits) private readonly limits: Limits,
    @inject(ISessionLauncher) private readonly launcher: ISessionLauncher,
  ) {
    this.mode = options.get(DOVECOT_OPTIONS.mode);
    this.paths = {
      imap: options.get(DOVECOT_OPTIONS.imapPath),
      pop3: options.get(DOVECOT_OPTIONS.pop3Path),
      doveconf: options.get(DOVECOT_OPTIONS.doveconfPath),
      config: options.get(DOVECOT_OPTIONS.config),
    };
    this.identity = identitySettingsFromOptions(options);
    this.environment = new DovecotEnvironment(this.paths.doveconf, this.paths.config);
  }

  async start(session: AuthenticatedSession, connection: ClientConnection): Promise<void> {
    if (this.closed) throw new BackendError('backend-dovecot is shutting down');
    if (session.protocol !== 'imap' && session.protocol !== 'pop3') throw new BackendError(`unsupported protocol ${String(session.protocol)}`);
    const identity = resolveSessionIdentity(session.user, this.identity);
    const captured = this.mode === 'direct' ? await this.environment.get(session.protocol) : undefined;
    const binaryPath = session.protocol === 'imap' ? this.paths.imap : this.paths.pop3;
    const mode = await handOffSession({
      launcher: this.launcher,
      connection,
      session,
      timeout: this.limits.backendTimeout,
      pipelinedInEnvironment: true,
      build: (pipelined) =>
        buildDovecotLaunchRequest({
          mode: this.mode,
          binaryPath,
          doveconfPath: this.paths.doveconf,
          configPath: this.paths.config,
          captured,
          session,
          identity,
          pipelined,
        }),
    });
    connection.log.info({ backend: this.name, user: session.user.login, uid: identity.uid, via: mode }, 'session handed to dovecot');
  }

  /** Forgets the captured doveconf environment, so that changed settings apply to new sessions. */
  reload(): void {
    this.environment.reset();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
