/**
 * The options pd-forker-listen reads (all `listen_`-prefixed, plus `listen` itself). They are passed as
 * `extraOptions` to core's createApplication in the workers and validated by the primary on start and
 * on SIGHUP. See README.md for the `listen` syntax.
 */
import { availableParallelism } from 'node:os';
import { durationOption, intOption, listOption, stringOption, type OptionSpec } from '@pigeondeliver/core';
import { parseListeners, type ListenerSpec } from './listener-spec.js';

/** The `listen` option: its value is the parsed listener list. */
export const LISTEN_OPTION: OptionSpec<ListenerSpec[]> = {
  key: 'listen',
  description:
    'listeners, comma separated: NAME=ADDRESS:PORT[/tls][/proxy][/service=login-x], IPv6 in brackets, e.g. "imap=[::]:143, imaps=[::]:993/tls, pop3=0.0.0.0:110/proxy"',
  defaultValue: 'imap=[::]:143',
  parse: parseListeners,
};

/** Every option of the daemon, by field. */
export const LISTEN_OPTIONS = {
  listen: LISTEN_OPTION,
  workers: intOption('listen_workers', 'unprivileged worker processes that serve clients (default: one per CPU core)', availableParallelism(), { min: 1, max: 256 }),
  user: stringOption('listen_user', 'user the workers run as (name or uid; default nobody when started as root, else ourselves)', ''),
  backlog: intOption('listen_backlog', 'listen(2) backlog of each socket', 511, { min: 1 }),
  maxConnections: intOption('listen_max_connections', 'pre-login connections held at once by the whole daemon (0: no limit)', 1000, { min: 0 }),
  maxConnectionsPerIp: intOption('listen_max_connections_per_ip', 'pre-login connections held at once per client address (0: no limit)', 10, { min: 0 }),
  connectionRate: intOption('listen_connection_rate', 'new connections accepted per second by the whole daemon (0: no limit)', 0, { min: 0 }),
  connectionRatePerIp: intOption('listen_connection_rate_per_ip', 'new connections accepted per second per client address (0: no limit)', 0, { min: 0 }),
  shutdownTimeout: durationOption('listen_shutdown_timeout', 'on SIGTERM, time pre-login connections get to finish before they are told goodbye', '10s'),
  proxyTimeout: durationOption('listen_proxy_timeout', 'time to receive the PROXY protocol header on a /proxy listener', '5s'),
  proxyNetworks: listOption('listen_proxy_networks', 'CIDRs allowed to send a PROXY header on /proxy listeners (empty: trusted_networks)', ''),
  tlsHandshakeTimeout: durationOption('listen_tls_handshake_timeout', 'time for the implicit TLS handshake on a /tls listener', '10s'),
} satisfies Record<string, OptionSpec<unknown>>;

/** All of them, for createApplication's `extraOptions` and `--help`. */
export const LISTEN_OPTION_SPECS: readonly OptionSpec<unknown>[] = Object.values(LISTEN_OPTIONS);
