/**
 * Dependency-injection helpers. Plugins import `inject`/`injectable` from here (not from tsyringe
 * directly) so the Reflect polyfill is always loaded first, and use typed tokens from `tokens.ts`.
 */
import './reflect.js';
import { inject as tsyringeInject, injectable, Lifecycle, type DependencyContainer } from 'tsyringe';

export { injectable, Lifecycle };
export type { DependencyContainer };

/** A DI token that carries the type it resolves to. */
export type Token<T> = symbol & { readonly __pigeondeliverToken?: T };

/** Makes a token; `Symbol.for` keeps tokens equal even when two copies of core are installed. */
export function token<T>(name: string): Token<T> {
  return Symbol.for(`pigeondeliver:${name}`) as Token<T>;
}

/** Typed `@inject`: every constructor parameter names its token explicitly (works without metadata). */
export function inject<T>(t: Token<T>): ParameterDecorator {
  return tsyringeInject(t) as ParameterDecorator;
}

/** Typed resolve. Only the composition root and tests call it (no service locator in services). */
export function resolve<T>(container: DependencyContainer, t: Token<T>): T {
  return container.resolve<T>(t);
}

/** Registers a ready-made value under a typed token. */
export function registerValue<T>(container: DependencyContainer, t: Token<T>, value: T): void {
  container.register<T>(t, { useValue: value });
}

/** Registers a class as the singleton for a typed token in this container. */
export function registerSingleton<T>(
  container: DependencyContainer,
  t: Token<T>,
  cls: new (...args: never[]) => T,
): void {
  container.register<T>(t, { useClass: cls as new (...args: unknown[]) => T }, { lifecycle: Lifecycle.ContainerScoped });
}
