/**
 * The options core itself reads: plugin selection and the names shared across packages
 * (DESIGN.md "Names that cross packages"). Plugin packages declare their own in their manifests.
 */
import { hostname } from 'node:os';
import { boolOption, durationOption, enumOption, intOption, listOption, stringOption, type OptionSpec } from './options.js';
import { LIMIT_OPTIONS } from './limits.js';

export const CORE_OPTIONS = {
  service: stringOption('dscm_service', 'login service this process runs: login-imap or login-pop3', ''),
  database: stringOption('database', 'user database plugin: db-sqlite, db-postgres, db-mysql', 'db-sqlite'),
  databaseUrl: stringOption(
    'database_url',
    'database location: a file path for SQLite, a connection URL (postgres://, mysql://) otherwise',
    '/var/lib/pigeondeliver/users.sqlite',
  ),
  backend: stringOption('backend', 'default local backend: backend-dovecot or backend-courier', 'backend-dovecot'),
  backends: listOption('backends', 'further backends to load for users whose row names them (per-user backend column)', ''),
  nodeName: stringOption('node_name', 'this node\'s name in the cluster (users whose host is another node are proxied)', hostname()),
  firstValidUid: intOption('first_valid_uid', 'lowest uid a backend may run as (0 is always refused)', 500, { min: 1 }),
  homeRoots: listOption('home_roots', 'directories under which user homes may be created', '/var/mail/pigeondeliver /home'),
  trustedNetworks: listOption(
    'trusted_networks',
    'CIDRs whose clients count as secured, skip the failure penalty and may forward the client address',
    '127.0.0.0/8 ::1/128',
  ),
  loginCaseInsensitive: boolOption('login_case_insensitive', 'logins are compared without regard to case', true),
  logLevel: enumOption('log_level', 'log level', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  defaultPassScheme: stringOption(
    'default_pass_scheme',
    'scheme of stored passwords that carry no {SCHEME} prefix (Dovecot\'s setting of the same name; CRYPT autodetects $1$/$5$/$6$/$2y$)',
    'CRYPT',
  ),
  passwordScheme: stringOption('password_scheme', 'scheme pd-admin uses for new passwords', 'SHA512-CRYPT'),
  pluginPath: listOption('plugin_path', 'extra directories to resolve plugin packages from, searched first', ''),
  // Local hand-off (core/src/launch, read by backend-dovecot and backend-courier).
  mailUid: intOption('mail_uid', 'virtual-mail uid for users whose row has no uid (unset: such users cannot log in locally)', undefined, { min: 1 }),
  mailGid: intOption('mail_gid', 'virtual-mail gid for users whose row has no gid', undefined, { min: 1 }),
  homeTemplate: stringOption(
    'home_template',
    'home of users whose row has no home: %u login, %n its local part, %d its domain, %% a percent sign',
    '/var/mail/pigeondeliver/%u',
  ),
  backendExitWindow: durationOption(
    'backend_exit_window',
    'how long a started backend is watched for an immediate failing exit before the client socket is let go (0 disables)',
    '50ms',
  ),
  backendStderr: enumOption(
    'backend_stderr',
    'what happens to backend stderr: shared (one pipe for all backends, lines logged; no descriptor per session), log (lines logged with the session id; one pipe per live session), inherit (our stderr), ignore',
    ['shared', 'log', 'inherit', 'ignore'] as const,
    'shared',
  ),
} satisfies Record<string, OptionSpec<unknown>>;

/** Every option core declares (its own and the limits). */
export const CORE_OPTION_SPECS: readonly OptionSpec<unknown>[] = [...Object.values(CORE_OPTIONS), ...Object.values(LIMIT_OPTIONS)];

/**
 * Key prefixes owned by the standard plugins. A process validates such keys only if it loaded the
 * plugin; otherwise a shared config file may carry them for other services (pop3_* in an IMAP process).
 */
export const STANDARD_PLUGIN_PREFIXES: readonly string[] = [
  'imap_', 'pop3_', 'sasl_', 'tls_', 'dovecot_', 'courier_', 'proxy_', 'sqlite_', 'postgres_', 'mysql_',
  'listen_', 'inetd_', 'postfix_', 'stdio_', 'admin_', 'handoff_',
];
