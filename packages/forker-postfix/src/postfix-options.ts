/**
 * The options pd-forker-postfix reads, passed as `extraOptions` to core's createApplication.
 * `max_use`, `max_idle`, `syslog_name` and `stress` are Postfix parameter names: given with `-o` in
 * master.cf they cause no `postconf` "unused parameter" warning, and master itself passes `-o
 * stress=`. Postfix's master does not enforce max_use/max_idle (§1.7): this forker does.
 */
import { boolOption, CORE_OPTIONS, durationOption, enumOption, intOption, stringOption, type OptionSpec } from '@pigeondeliver/core/early';

/** How a process serves clients. */
export type PostfixModel = 'single' | 'resident';

/** Every option of the forker, by field. */
export const POSTFIX_OPTIONS = {
  model: enumOption<PostfixModel>(
    'postfix_model',
    'single: one client per process, so the master.cf maxproc column limits concurrent clients (status TAKEN after accept, exit after the client); resident: one process serves all clients concurrently, fast, but maxproc has no effect',
    ['single', 'resident'] as const,
    'single',
  ),
  maxUse: intOption('max_use', 'Postfix parameter: clients a resident process serves before it exits (0: no limit)', 100, { min: 0 }),
  maxIdle: durationOption('max_idle', 'Postfix parameter: time a process without a client waits before it exits (0: forever)', '100s'),
  stress: stringOption('stress', 'set by the Postfix master (-o stress=yes when the service hit its process limit); only logged', ''),
  syslogName: stringOption('syslog_name', 'Postfix parameter: log tag (default $MAIL_LOGTAG/<dscm_service>, e.g. postfix/login-imap)', ''),
  backlog: intOption('postfix_backlog', 'listen(2) backlog re-applied to the shared listen socket (master uses max(maxproc, default_process_limit))', 100, { min: 1 }),
  user: stringOption('postfix_user', 'user (name, uid or uid:gid) whose effective uid reads client input; root is regained only to start the backend', 'nobody'),
  postlog: stringOption('postfix_postlog', 'postlog(1) program that logs go through (empty: JSON lines on stderr, seen only under master -d)', '/usr/sbin/postlog'),
  implicitTls: boolOption('postfix_implicit_tls', 'implicit TLS service (imaps 993, pop3s 995; RFC 8314): handshake before the greeting, with tls_cert and tls_key', false),
  handshakeTimeout: durationOption('postfix_tls_handshake_timeout', 'time for the implicit TLS handshake', '10s'),
  shutdownTimeout: durationOption('postfix_shutdown_timeout', 'on SIGTERM (postfix stop), time given to say goodbye to pre-login clients before exiting', '1s'),
} satisfies Record<string, OptionSpec<unknown>>;

/** The backend_stderr default for a model (see README): a single-model process is gone before the backend. */
export function defaultBackendStderr(model: PostfixModel): string {
  return model === 'single' ? 'ignore' : 'log';
}

/** The core option that default applies to. */
export const BACKEND_STDERR_KEY = CORE_OPTIONS.backendStderr.key;

/** All of them, for createApplication and `--help`. */
export const POSTFIX_OPTION_SPECS: readonly OptionSpec<unknown>[] = Object.values(POSTFIX_OPTIONS);
