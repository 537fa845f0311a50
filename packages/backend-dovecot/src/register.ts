import { IBackend, ILogger, Lifecycle, registerValue, silentLogger, type DependencyContainer, type ResolvedOptions } from '@pigeondeliver/core';
import { DovecotBackend } from './dovecot-backend.js';

/** Registers {@link DovecotBackend} as this container's IBackend (one per backend child container). */
export function register(container: DependencyContainer, _options: ResolvedOptions): void {
  // run-forker always provides ILogger; a host that does not (a bare test container) gets a silent one.
  if (!container.isRegistered(ILogger, true)) registerValue(container, ILogger, silentLogger());
  container.register(IBackend, { useClass: DovecotBackend }, { lifecycle: Lifecycle.Singleton });
}
