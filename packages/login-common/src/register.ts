/**
 * Registers login-common's services into a process container. Protocol packages call
 * {@link registerLoginCommon} from their own `register()`; it needs core's IUserRepository,
 * IBackendRegistry, ILimits, ILogger in the container (the composition root provides them).
 */
import { CORE_OPTIONS, IAuthenticator, Lifecycle, limitsFromOptions, registerValue, type DependencyContainer, type ResolvedOptions } from '@pigeondeliver/core';
import { Authenticator } from './auth/authenticator.js';
import { DovecotPasswordVerifier } from './auth/dovecot-password-verifier.js';
import { PenaltyTracker } from './auth/penalty-tracker.js';
import { loginCommonSettingsFromOptions } from './login-common-settings.js';
import { TrustedNetworks } from './network/trusted-networks.js';
import { SessionRouter } from './routing/session-router.js';
import { SaslMechanismRegistry } from './sasl/sasl-mechanism-registry.js';
import { TlsContextProvider } from './tls/tls-context-provider.js';
import {
  ILoginCommonSettings,
  IPasswordVerifier,
  IPenaltyTracker,
  ISaslMechanisms,
  ISessionRouter,
  ITlsContextProvider,
  ITrustedNetworks,
} from './tokens.js';

/**
 * Registers settings, TLS contexts (files read now: a bad certificate stops startup), trusted
 * networks, password verifier, penalty tracker, SASL mechanisms, the authenticator (as core's
 * IAuthenticator, unless one is already registered) and the router. Singletons per container.
 */
export function registerLoginCommon(container: DependencyContainer, options: ResolvedOptions): void {
  const settings = loginCommonSettingsFromOptions(options);
  registerValue(container, ILoginCommonSettings, settings);
  registerValue(container, ITlsContextProvider, TlsContextProvider.fromOptions(options));
  registerValue(container, ITrustedNetworks, new TrustedNetworks(options.get(CORE_OPTIONS.trustedNetworks)));
  const singleton = { lifecycle: Lifecycle.ContainerScoped };
  if (!container.isRegistered(IPasswordVerifier)) container.register(IPasswordVerifier, { useClass: DovecotPasswordVerifier }, singleton);
  const limits = limitsFromOptions(options);
  registerValue(
    container,
    IPenaltyTracker,
    new PenaltyTracker({
      initial: limits.penaltyInitial,
      max: limits.penaltyMax,
      memory: limits.penaltyMemory,
      maxEntries: settings.penaltyMaxEntries,
      ipv6Prefix: settings.penaltyIpv6Prefix,
    }),
  );
  container.register(ISaslMechanisms, { useClass: SaslMechanismRegistry }, singleton);
  if (!container.isRegistered(IAuthenticator)) container.register(IAuthenticator, { useClass: Authenticator }, singleton);
  container.register(ISessionRouter, { useClass: SessionRouter }, singleton);
}
