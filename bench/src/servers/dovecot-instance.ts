/**
 * The private Dovecot the benchmark compares against: its own config file, base_dir, state_dir and log in
 * the run directory, 127.0.0.1 high ports, passwd-file with the hashes pd-admin wrote. Two modes:
 * `default` (Dovecot's defaults: one imap-login process per connection, one imap process per session) and
 * `high-performance` (login processes reused, `service_count = 0`; imap processes prestarted and reused).
 * A third, `handoff`, is high-performance plus the services `pd-admin dovecot config` generated for
 * backend-dovecot's handoff mode (one reused imap/pop3 pool per uid, login sockets under base_dir); it is
 * started with its own directory (base_dir) and runs only while PigeonDeliver's handoff daemon is measured.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertificateFiles } from '../fixtures/certificate.js';
import type { CleanupStack } from '../system/cleanup-stack.js';
import { assertLoopback } from '../system/loopback-guard.js';
import { waitForPort } from '../system/wait-port.js';
import { ManagedProcess } from './managed-process.js';

/** Dovecot configuration flavour. */
export type DovecotMode = 'default' | 'high-performance' | 'handoff';

/** Ports of one instance. */
export interface DovecotPorts {
  readonly imap: number;
  readonly imaps: number;
  readonly pop3: number;
  readonly pop3s: number;
}

/** Everything needed to write the config. */
export interface DovecotSetup {
  readonly dir: string;
  readonly host: string;
  readonly ports: DovecotPorts;
  readonly passwdFile: string;
  readonly certificate: CertificateFiles;
  readonly firstValidUid: number;
  /** Clients one login process may hold in high-performance mode (the idle-memory cells need 10,000). */
  readonly loginClientLimit: number;
  /** Mode `handoff`: the generated hand-off services (output of `pd-admin dovecot config`). */
  readonly handoffServices?: string;
}

/** The dovecot.conf text for `mode`. */
export function dovecotConfig(setup: DovecotSetup, mode: DovecotMode): string {
  const { dir, host, ports } = setup;
  const tuned = mode !== 'default';
  if (mode === 'handoff' && setup.handoffServices === undefined) throw new Error('dovecot handoff mode needs the generated hand-off services');
  const loginService = (name: string, plain: number, tls: number, plainName: string, tlsName: string) => `
service ${name} {
  inet_listener ${plainName} {
    address = ${host}
    port = ${plain}
  }
  inet_listener ${tlsName} {
    address = ${host}
    port = ${tls}
    ssl = yes
  }
${tuned ? `  service_count = 0\n  process_min_avail = 2\n  client_limit = ${setup.loginClientLimit}\n` : ''}}`;
  const mailService = (name: string) => (tuned ? `\nservice ${name} {\n  service_count = 0\n  process_min_avail = 16\n}` : '');
  return `# Written by the PigeonDeliver benchmark (bench/src/servers/dovecot-instance.ts), mode ${mode}.
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap pop3
listen = ${host}
ssl = yes
ssl_cert = <${setup.certificate.certFile}
ssl_key = <${setup.certificate.keyFile}
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = ${setup.firstValidUid}
# Both modes: enough processes and clients for the 200-client and 10,000-connection cells.
default_process_limit = 2500
default_client_limit = 12000
default_vsz_limit = 1G
protocol imap {
  mail_max_userip_connections = 100000
}
protocol pop3 {
  mail_max_userip_connections = 100000
}
passdb {
  driver = passwd-file
  args = ${setup.passwdFile}
}
userdb {
  driver = passwd-file
  args = ${setup.passwdFile}
}
${loginService('imap-login', ports.imap, ports.imaps, 'imap', 'imaps')}
${loginService('pop3-login', ports.pop3, ports.pop3s, 'pop3', 'pop3s')}
${mailService('imap')}${mailService('pop3')}
${mode === 'handoff' ? `\n${setup.handoffServices ?? ''}\n` : ''}`;
}

/** Writes dovecot-<mode>.conf into the instance directory; returns its path. */
export async function writeDovecotConfig(setup: DovecotSetup, mode: DovecotMode): Promise<string> {
  await mkdir(join(setup.dir, 'run'), { recursive: true, mode: 0o755 });
  await mkdir(join(setup.dir, 'state'), { recursive: true, mode: 0o750 });
  const conf = join(setup.dir, `dovecot-${mode}.conf`);
  await writeFile(conf, dovecotConfig(setup, mode));
  return conf;
}

/** Writes the config for `mode`, starts `dovecot -F -c`, waits for every port. */
export async function startDovecot(setup: DovecotSetup, mode: DovecotMode, cleanup: CleanupStack): Promise<ManagedProcess> {
  assertLoopback(setup.host);
  const conf = await writeDovecotConfig(setup, mode);
  const server = ManagedProcess.start(`dovecot ${mode}`, ['dovecot', '-F', '-c', conf], join(setup.dir, 'dovecot-stdout.log'), cleanup);
  for (const port of Object.values(setup.ports)) await waitForPort(setup.host, port, 20_000, () => server.alive);
  return server;
}
