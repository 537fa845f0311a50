/**
 * One row of the shared user database, as a login sees it. Fetched with a single query that returns the
 * password and the whole configuration (DESIGN.md "User database").
 */
export interface UserRecord {
  /** Surrogate key. */
  readonly id: number;
  /** Login name, stored as given; lookups are case-insensitive when `login_case_insensitive` is on. */
  readonly login: string;
  /** Stored password as `{SCHEME}hash` (or a bare hash in the default scheme); null disables password logins. */
  readonly password: string | null;
  /** System uid the backend runs as; null means the configured virtual-mail uid. */
  readonly uid: number | null;
  /** System gid the backend runs as; null means the configured virtual-mail gid. */
  readonly gid: number | null;
  /** Absolute home directory; null means derived from `home_template`. */
  readonly home: string | null;
  /** Mail location (Dovecot syntax, e.g. `maildir:~/Maildir`); null means Maildir under the home. */
  readonly mail: string | null;
  /** Name of the cluster node that owns the mailbox; null or empty means this node. */
  readonly host: string | null;
  /** Per-user backend override (`backend-dovecot`, `backend-courier`); null means the configured default. */
  readonly backend: string | null;
  /** Quota in bytes; null means no quota. */
  readonly quotaBytes: number | null;
  /** A disabled user cannot log in (IMAP `NO [CONTACTADMIN]`, POP3 `-ERR [AUTH]`). */
  readonly enabled: boolean;
  readonly allowImap: boolean;
  readonly allowPop3: boolean;
  /** Optimistic-locking counter: every update checks and bumps it. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastLoginAt: Date | null;
  readonly lastLoginIp: string | null;
}

/** Fields an administrator may set when creating a user. */
export interface NewUser {
  login: string;
  password?: string | null;
  uid?: number | null;
  gid?: number | null;
  home?: string | null;
  mail?: string | null;
  host?: string | null;
  backend?: string | null;
  quotaBytes?: number | null;
  enabled?: boolean;
  allowImap?: boolean;
  allowPop3?: boolean;
}

/** Fields an update may change; `login` is the key and cannot change here. */
export type UserChanges = Partial<Omit<NewUser, 'login'>>;

/** A peer of the cluster (the `nodes` table). */
export interface NodeRecord {
  readonly name: string;
  readonly address: string;
  readonly imapPort: number;
  readonly pop3Port: number;
  /** The peer's handoff port (trusted-peer protocol). */
  readonly handoffPort: number;
  /** Ed25519 public key, base64 of the raw 32 bytes; null until keys are exchanged. */
  readonly publicKey: string | null;
  readonly version: number;
}
