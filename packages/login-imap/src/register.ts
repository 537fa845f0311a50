/** Registers the IMAP login service (and login-common's services) into the process container. */
import { ILoginService, IProxyDialect, Lifecycle, type DependencyContainer, type ResolvedOptions } from '@pigeondeliver/core';
import { registerLoginCommon } from '@pigeondeliver/login-common';
import { ImapLoginService } from './imap-login-service.js';
import { ImapProxyDialect } from './imap-proxy-dialect.js';

/** The manifest's `register`. */
export function register(container: DependencyContainer, options: ResolvedOptions): void {
  registerLoginCommon(container, options);
  container.register(ILoginService, { useClass: ImapLoginService }, { lifecycle: Lifecycle.ContainerScoped });
  container.register(IProxyDialect, { useClass: ImapProxyDialect }, { lifecycle: Lifecycle.ContainerScoped });
}
