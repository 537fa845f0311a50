/**
 * The one registration every `db-*` plugin makes: {@link IDatabase} as a lazily built, cached value.
 * The factory runs when the composition root resolves IDatabase, with the process logger if one is
 * registered (recordLogin failures are warnings in it).
 */
import { IDatabase, ILogger, resolve, type DependencyContainer, type Logger } from '@pigeondeliver/core';

/** Registers `create` as the container's IDatabase, built once on first resolve. */
export function registerDatabase(container: DependencyContainer, create: (logger: Logger | undefined) => IDatabase): void {
  let database: IDatabase | undefined;
  container.register<IDatabase>(IDatabase, {
    // A factory may look up the logger: this resolve happens while the composition root resolves IDatabase.
    useFactory: (c) => (database ??= create(c.isRegistered(ILogger, true) ? resolve(c, ILogger) : undefined)),
  });
}
