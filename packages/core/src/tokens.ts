/**
 * Every DI token, in one place. Each token shares its name with the contract it resolves to
 * (VS Code idiom), so `@inject(IUserRepository) repo: IUserRepository` reads naturally.
 */
import { token } from './di.js';
import type { IAuthenticator as AuthenticatorContract } from './contracts/auth.js';
import type { IBackend as BackendContract, IBackendRegistry as BackendRegistryContract } from './contracts/backend.js';
import type {
  IDatabase as DatabaseContract,
  INodeRepository as NodeRepositoryContract,
  IUserRepository as UserRepositoryContract,
} from './contracts/database.js';
import type { IForker as ForkerContract } from './contracts/forker.js';
import type { ILoginService as LoginServiceContract } from './contracts/login-service.js';
import type { IProxyDialect as ProxyDialectContract } from './contracts/proxy-dialect.js';
import type { Limits } from './limits.js';
import type { Logger } from './logging.js';
import type { ResolvedOptions } from './options.js';

export type IAuthenticator = AuthenticatorContract;
export const IAuthenticator = token<IAuthenticator>('IAuthenticator');
export type IBackend = BackendContract;
export const IBackend = token<IBackend>('IBackend');
export type IBackendRegistry = BackendRegistryContract;
export const IBackendRegistry = token<IBackendRegistry>('IBackendRegistry');
export type IDatabase = DatabaseContract;
export const IDatabase = token<IDatabase>('IDatabase');
export type IUserRepository = UserRepositoryContract;
export const IUserRepository = token<IUserRepository>('IUserRepository');
export type INodeRepository = NodeRepositoryContract;
export const INodeRepository = token<INodeRepository>('INodeRepository');
export type IForker = ForkerContract;
export const IForker = token<IForker>('IForker');
export type ILoginService = LoginServiceContract;
export const ILoginService = token<ILoginService>('ILoginService');
export type IProxyDialect = ProxyDialectContract;
export const IProxyDialect = token<IProxyDialect>('IProxyDialect');

/** The process's validated options. */
export const IOptions = token<ResolvedOptions>('IOptions');
/** The process's limits (derived from options). */
export const ILimits = token<Limits>('ILimits');
/** The process's root logger (per-session loggers are its children). */
export const ILogger = token<Logger>('ILogger');

import type { ISessionLauncher as SessionLauncherContract } from './contracts/session-launcher.js';
export type ISessionLauncher = SessionLauncherContract;
/** Starts backend processes as the user (in-process, or via the daemon's privileged parent). */
export const ISessionLauncher = token<ISessionLauncher>('ISessionLauncher');
