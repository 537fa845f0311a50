/** Registers the POP3 login service (and login-common's services) into the process container. */
import { ILoginService, IProxyDialect, Lifecycle, type DependencyContainer, type ResolvedOptions } from '@pigeondeliver/core';
import { registerLoginCommon } from '@pigeondeliver/login-common';
import { Pop3LoginService } from './pop3-login-service.js';
import { Pop3ProxyDialect } from './pop3-proxy-dialect.js';

/** The manifest's `register`. */
export function register(container: DependencyContainer, options: ResolvedOptions): void {
  registerLoginCommon(container, options);
  container.register(ILoginService, { useClass: Pop3LoginService }, { lifecycle: Lifecycle.ContainerScoped });
  container.register(IProxyDialect, { useClass: Pop3ProxyDialect }, { lifecycle: Lifecycle.ContainerScoped });
}
