/**
 * Errors shared across packages. Each carries a stable `code` so callers can branch without
 * `instanceof` across two installed copies of core.
 */

/** Base class: every PigeonDeliver error has a stable code. */
export class PigeonError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration problem found at startup: names the key, stops the program with exit code 78 (EX_CONFIG). */
export class ConfigError extends PigeonError {
  constructor(
    message: string,
    /** The option key at fault, when there is one. */
    readonly key?: string,
  ) {
    super('ECONFIG', message);
  }
}

/** Why a plugin could not be loaded. */
export enum PluginLoadFailure {
  NotInstalled = 'not-installed',
  DependencyMissing = 'dependency-missing',
  WrongKind = 'wrong-kind',
  WrongName = 'wrong-name',
  UnsupportedApiVersion = 'unsupported-api-version',
  BadManifest = 'bad-manifest',
  RegisterFailed = 'register-failed',
}

/** A plugin could not be loaded: the message says what, where it looked and what to run. */
export class PluginLoadError extends PigeonError {
  constructor(
    readonly failure: PluginLoadFailure,
    readonly pluginName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('EPLUGIN', message, options);
  }
}

/** The database is down, timed out or failed: a temporary failure, never "no such user". */
export class DatabaseUnavailableError extends PigeonError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EDBUNAVAIL', message, options);
  }
}

/** An update lost a race: the row changed since it was read (optimistic locking on `version`). */
export class StaleUpdateError extends PigeonError {
  constructor(
    readonly what: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super('ESTALE', `${what} changed since it was read (version ${expectedVersion}, now ${actualVersion}); read it again and retry`);
  }
}

/** A create collided with an existing row. */
export class ConflictError extends PigeonError {
  constructor(message: string) {
    super('ECONFLICT', message);
  }
}

/** The row to change does not exist. */
export class NotFoundError extends PigeonError {
  constructor(message: string) {
    super('ENOTFOUND', message);
  }
}

/** A stored value is unusable (bad row, malformed hash): reported with the user and field, never a success. */
export class InvalidDataError extends PigeonError {
  constructor(message: string) {
    super('EINVALDATA', message);
  }
}

/** A backend could not start the user's session; the client gets a temporary-failure reply. */
export class BackendError extends PigeonError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EBACKEND', message, options);
  }
}

/** A client broke the protocol in a way that ends the connection (line too long, bad literal...). */
export class ProtocolError extends PigeonError {
  constructor(message: string) {
    super('EPROTO', message);
  }
}
