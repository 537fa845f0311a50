/** The options pd-forker-inetd reads (all `inetd_`-prefixed), passed as `extraOptions` to createApplication. */
import { boolOption, durationOption, intOption, stringOption, type OptionSpec } from '@pigeondeliver/core/early';

/** Every option of the forker, by field. */
export const INETD_OPTIONS = {
  idleTimeout: durationOption('inetd_idle_timeout', 'wait mode: time without a client after which the process exits (inetd then listens again)', '60s'),
  logFile: stringOption(
    'inetd_log_file',
    'file the JSON log lines are appended to (opened as root before the uid switch); empty: logs are discarded, because stderr is the client\'s socket under inetd',
    '',
  ),
  user: stringOption('inetd_user', 'user (name, uid or uid:gid) whose effective uid reads client input when inetd starts us as root; root is regained only to start the backend', 'nobody'),
  backlog: intOption('inetd_backlog', 'wait mode: listen(2) backlog re-applied to inetd\'s socket (openbsd-inetd uses 128)', 128, { min: 1 }),
  implicitTls: boolOption('inetd_implicit_tls', 'implicit TLS service (imaps 993, pop3s 995; RFC 8314): handshake before the greeting, with tls_cert and tls_key', false),
  handshakeTimeout: durationOption('inetd_tls_handshake_timeout', 'time for the implicit TLS handshake', '10s'),
  shutdownTimeout: durationOption('inetd_shutdown_timeout', 'on SIGTERM, time given to say goodbye to pre-login clients before exiting', '1s'),
} satisfies Record<string, OptionSpec<unknown>>;

/** All of them, for createApplication and `--help`. */
export const INETD_OPTION_SPECS: readonly OptionSpec<unknown>[] = Object.values(INETD_OPTIONS);
