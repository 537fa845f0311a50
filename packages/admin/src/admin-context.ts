/**
 * What every pd-admin command gets: the database selected by the same options as the services
 * (`-c FILE`, `-o key=value`, the shared config file), the validated options, and the streams.
 */
import { createApplication, createLogger, type OptionSpec, type Application, type IDatabase, type ResolvedOptions } from '@pigeondeliver/core';
import type { PasswordSource } from './password-input.js';

/** The I/O and configuration of one pd-admin run. */
export interface AdminIo extends PasswordSource {
  readonly stdout: NodeJS.WritableStream;
  /** `-o`/`-c` arguments, passed to the composition root exactly as a service would get them. */
  readonly optionArgs: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** An opened administration context. */
export interface AdminContext {
  readonly db: IDatabase;
  readonly options: ResolvedOptions;
  readonly app: Application;
}

/**
 * Opens the configuration, and the database unless `database` is false, through core's composition
 * root (no login service, no backends). Logs are kept to warnings so command output stays clean.
 */
export async function openAdminContext(io: AdminIo, database: boolean, extraOptions: readonly OptionSpec<unknown>[] = []): Promise<AdminContext> {
  const app = await createApplication({
    argv: io.optionArgs,
    program: 'pd-admin',
    login: false,
    database,
    backends: false,
    extraOptions,
    env: io.env,
    logger: createLogger({ level: 'warn', name: 'pd-admin' }),
  });
  return {
    get db(): IDatabase {
      if (!app.database) throw new Error('internal: this command did not open the database');
      return app.database;
    },
    options: app.options,
    app,
  };
}
