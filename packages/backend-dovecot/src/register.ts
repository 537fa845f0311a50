import { IBackend, Lifecycle, type DependencyContainer, type ResolvedOptions } from '@pigeondeliver/core';
import { DovecotBackend } from './dovecot-backend.js';

/** Registers {@link DovecotBackend} as this container's IBackend (one per backend child container). */
export function register(container: DependencyContainer, _options: ResolvedOptions): void {
  container.register(IBackend, { useClass: DovecotBackend }, { lifecycle: Lifecycle.Singleton });
}
