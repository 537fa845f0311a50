import type { NewUser, NodeRecord, UserChanges, UserRecord } from './user.js';

/**
 * The user store the whole mail system shares. Implemented once in `db-common` over knex; the `db-*`
 * packages only contribute the driver.
 *
 * Errors: a database that is down or times out throws {@link DatabaseUnavailableError} (a temporary
 * failure, never "no such user"); an update that lost a race throws {@link StaleUpdateError}.
 */
export interface IUserRepository {
  /**
   * The login-time lookup: password and configuration in one query. Resolves `undefined` when no such
   * user exists.
   */
  lookup(login: string): Promise<UserRecord | undefined>;
  /** All users ordered by login, optionally those whose login starts with `prefix`. */
  list(prefix?: string): Promise<UserRecord[]>;
  /** Creates a user; throws {@link ConflictError} when the login exists. */
  create(user: NewUser): Promise<UserRecord>;
  /**
   * Applies `changes` in one transaction if the row still has `expectedVersion`, bumping the version.
   * Throws {@link StaleUpdateError} when it changed since it was read, {@link NotFoundError} when gone.
   */
  update(login: string, expectedVersion: number, changes: UserChanges): Promise<UserRecord>;
  /** Deletes a user; resolves false when there was none. */
  remove(login: string): Promise<boolean>;
  /** Records a successful login (time and client address); best effort, never blocks a login. */
  recordLogin(login: string, address: string, at: Date): Promise<void>;
}

/** The cluster's peers. */
export interface INodeRepository {
  list(): Promise<NodeRecord[]>;
  get(name: string): Promise<NodeRecord | undefined>;
  upsert(node: Omit<NodeRecord, 'version'>): Promise<NodeRecord>;
  remove(name: string): Promise<boolean>;
}

/** A connected database: migrations, repositories, shutdown. */
export interface IDatabase {
  /** Dialect name for messages (`sqlite`, `postgres`, `mysql`). */
  readonly dialect: string;
  /** Brings the schema to the latest version; returns the names of the migrations applied now. */
  migrate(): Promise<string[]>;
  readonly users: IUserRepository;
  readonly nodes: INodeRepository;
  /** Closes pools and files. */
  close(): Promise<void>;
}
