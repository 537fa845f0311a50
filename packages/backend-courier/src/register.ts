import { IBackend, Lifecycle, type DependencyContainer, type ResolvedOptions } from '@pigeondeliver/core';
import { CourierBackend } from './courier-backend.js';

/** Registers {@link CourierBackend} as this container's IBackend (one per backend child container). */
export function register(container: DependencyContainer, _options: ResolvedOptions): void {
  container.register(IBackend, { useClass: CourierBackend }, { lifecycle: Lifecycle.Singleton });
}
