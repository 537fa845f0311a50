/**
 * CourierBackend: starts Courier's imapd/courierpop3d pre-authenticated, as the user, through the
 * injected {@link ISessionLauncher}.
 *
 * Pipelined bytes: Courier has no equivalent of Dovecot's CLIENT_INPUT, and bytes cannot be pushed
 * back into a TCP socket's receive queue. So a session with bytes after the login command is relayed
 * (Courier on a Unix socket pair, the pipelined bytes written to it first, then both directions
 * piped), exactly like a TLS session; every other plaintext session gets the client socket itself.
 * Courier reads its stdin only after it has answered the login tag, so the bytes are read as the next
 * commands, in order.
 */
import { join } from 'node:path';
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
  type MailProtocol,
  type ResolvedOptions,
} from '@pigeondeliver/core';
import { readCourierVariables } from './courier-config-file.js';
import { buildCourierLaunchRequest } from './courier-launch-request.js';
import { COURIER_OPTIONS } from './options.js';

/** The backend-courier plugin's IBackend. */
@injectable()
export class CourierBackend implements IBackend {
  readonly name = 'backend-courier';
  private readonly binaries: Record<MailProtocol, string>;
  private readonly configFiles: Record<MailProtocol, string>;
  private readonly identity: IdentitySettings;
  private readonly variables = new Map<MailProtocol, Readonly<Record<string, string>>>();
  private closed = false;

  constructor(
    @inject(IOptions) options: ResolvedOptions,
    @inject(ILimits) private readonly limits: Limits,
    @inject(ISessionLauncher) private readonly launcher: ISessionLauncher,
  ) {
    const prefix = options.get(COURIER_OPTIONS.prefix);
    const configDir = options.get(COURIER_OPTIONS.config) || join(prefix, 'etc/courier');
    this.binaries = {
      imap: options.get(COURIER_OPTIONS.imapdPath) || join(prefix, 'usr/bin/imapd'),
      pop3: options.get(COURIER_OPTIONS.pop3dPath) || join(prefix, 'usr/lib/courier/courier/courierpop3d'),
    };
    this.configFiles = { imap: join(configDir, 'imapd'), pop3: join(configDir, 'pop3d') };
    this.identity = identitySettingsFromOptions(options);
  }

  /** {@inheritDoc IBackend.launchCommands} */
  launchCommands(): readonly string[] {
    return [this.binaries.imap, this.binaries.pop3];
  }

  async start(session: AuthenticatedSession, connection: ClientConnection): Promise<void> {
    if (this.closed) throw new BackendError('backend-courier is shutting down');
    if (session.protocol !== 'imap' && session.protocol !== 'pop3') throw new BackendError(`unsupported protocol ${String(session.protocol)}`);
    const identity = resolveSessionIdentity(session.user, this.identity);
    const variables = this.variablesFor(session.protocol);
    const request = buildCourierLaunchRequest({ binaryPath: this.binaries[session.protocol], variables, session, identity });
    const mode = await handOffSession({
      launcher: this.launcher,
      connection,
      session,
      timeout: this.limits.backendTimeout,
      pipelinedInEnvironment: false,
      build: () => request,
    });
    connection.log.info({ backend: this.name, user: session.user.login, uid: identity.uid, via: mode }, 'session handed to courier');
  }

  /** Forgets the parsed variable files, so that changed settings apply to new sessions. */
  reload(): void {
    this.variables.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private variablesFor(protocol: MailProtocol): Readonly<Record<string, string>> {
    let vars = this.variables.get(protocol);
    if (!vars) {
      vars = Object.freeze(readCourierVariables(this.configFiles[protocol]));
      this.variables.set(protocol, vars);
    }
    return vars;
  }
}
