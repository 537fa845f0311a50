/**
 * DI tokens of login-common's services. Registered by {@link registerLoginCommon}; protocol packages
 * inject them into their login service.
 */
import { token } from '@pigeondeliver/core';
import type { IPasswordVerifier as PasswordVerifierContract } from './auth/password-verifier.js';
import type { PenaltyTracker } from './auth/penalty-tracker.js';
import type { LoginCommonSettings } from './login-common-settings.js';
import type { TrustedNetworks } from './network/trusted-networks.js';
import type { SessionRouter } from './routing/session-router.js';
import type { SaslMechanismRegistry } from './sasl/sasl-mechanism-registry.js';
import type { TlsContextProvider } from './tls/tls-context-provider.js';

export type IPasswordVerifier = PasswordVerifierContract;
/** Checks presented passwords and proofs against stored hashes. */
export const IPasswordVerifier = token<IPasswordVerifier>('login-common:IPasswordVerifier');
/** The process's login-common settings. */
export const ILoginCommonSettings = token<LoginCommonSettings>('login-common:LoginCommonSettings');
/** The failure penalty per client address (one per process). */
export const IPenaltyTracker = token<PenaltyTracker>('login-common:PenaltyTracker');
/** The `trusted_networks` matcher. */
export const ITrustedNetworks = token<TrustedNetworks>('login-common:TrustedNetworks');
/** Server TLS contexts (STARTTLS, implicit TLS). */
export const ITlsContextProvider = token<TlsContextProvider>('login-common:TlsContextProvider');
/** The SASL mechanisms and where each may be offered. */
export const ISaslMechanisms = token<SaslMechanismRegistry>('login-common:SaslMechanismRegistry');
/** Picks the backend of an authenticated session and hands it over. */
export const ISessionRouter = token<SessionRouter>('login-common:SessionRouter');
