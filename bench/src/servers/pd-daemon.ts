/**
 * PigeonDeliver's daemon (pd-forker-listen) as the benchmark runs it: the config file keys of
 * scripts/demo.sh (SQLite, backend-dovecot, home_roots, first_valid_uid, listen, listen_user,
 * listen_workers), the connection limits lifted for the load cells, and TLS with the bench certificate.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertificateFiles } from '../fixtures/certificate.js';
import type { CleanupStack } from '../system/cleanup-stack.js';
import { assertLoopback } from '../system/loopback-guard.js';
import { waitForPort } from '../system/wait-port.js';
import { ManagedProcess } from './managed-process.js';

/** One listener of the daemon. */
export interface PdListener {
  readonly name: string;
  readonly port: number;
  readonly tls: boolean;
  readonly service: 'login-imap' | 'login-pop3';
}

/** Settings of one daemon instance. */
export interface PdDaemonSetup {
  /** Instance name, used for the config file and log names. */
  readonly name: string;
  readonly dir: string;
  readonly host: string;
  readonly repoRoot: string;
  readonly databaseFile: string;
  readonly homeRoot: string;
  readonly firstValidUid: number;
  readonly workerUser: string;
  readonly workers: number;
  readonly certificate: CertificateFiles;
  readonly listeners: readonly PdListener[];
  /** The private Dovecot's config, so the imap/pop3 we start run with the same settings as Dovecot's own. */
  readonly dovecotConfig: string;
  /** Dovecot handoff mode (`dovecot_mode = handoff`); absent: exec mode (backend-dovecot's default). */
  readonly handoff?: PdHandoff;
}

/** backend-dovecot's handoff options (packages/backend-dovecot/README.md, "Handoff mode"). */
export interface PdHandoff {
  /** base_dir of the Dovecot instance that runs the pools (login sockets under `login/`). */
  readonly baseDir: string;
  /** Our auth-master socket (outside base_dir), hosted by the daemon's primary. */
  readonly authSocket: string;
  /** uids with a pool (the bench's mail user). */
  readonly uids: readonly number[];
  /** Prestarted and maximum processes per pool (pd-admin dovecot config). */
  readonly processMinAvail: number;
  readonly processLimit: number;
  /**
   * Group of the daemon's workers: the pools' login sockets become root:<group> 0660, so the workers
   * send descriptors themselves (decision 0007 §5); absent: root-only sockets, every hand-off delegated.
   */
  readonly loginGroup?: string;
  /** Directory of the pools' login sockets, traversable by the workers (with loginGroup). */
  readonly loginDir?: string;
}

function handoffLines(h: PdHandoff | undefined): string {
  if (h === undefined) return '';
  return `dovecot_mode = handoff
dovecot_handoff_base_dir = ${h.baseDir}
dovecot_handoff_auth_socket = ${h.authSocket}
dovecot_handoff_uids = ${h.uids.join(',')}
dovecot_handoff_process_min_avail = ${h.processMinAvail}
dovecot_handoff_process_limit = ${h.processLimit}
${h.loginGroup === undefined ? '' : `dovecot_handoff_login_group = ${h.loginGroup}\n`}${h.loginDir === undefined ? '' : `dovecot_handoff_login_dir = ${h.loginDir}\n`}`;
}

/** The shared config-file text (`key = value`, DESIGN.md "Names that cross packages"). */
export function pdConfig(setup: PdDaemonSetup): string {
  const listen = setup.listeners
    .map((l) => `${l.name}=${setup.host}:${l.port}${l.tls ? '/tls' : ''}/service=${l.service}`)
    .join(', ');
  return `# Written by the PigeonDeliver benchmark (bench/src/servers/pd-daemon.ts), instance ${setup.name}.
database = db-sqlite
database_url = ${setup.databaseFile}
backend = backend-dovecot
home_roots = ${setup.homeRoot}
first_valid_uid = ${setup.firstValidUid}
dscm_service = login-imap
listen = ${listen}
listen_user = ${setup.workerUser}
listen_workers = ${setup.workers}
# The load cells open up to 10,000 connections from one loopback address.
listen_max_connections = 20000
listen_max_connections_per_ip = 0
trusted_networks = 127.0.0.0/8 ::1/128
tls_cert = ${setup.certificate.certFile}
tls_key = ${setup.certificate.keyFile}
dovecot_config = ${setup.dovecotConfig}
${handoffLines(setup.handoff)}`;
}

/** Path of the config file of an instance (pd-admin reads it too). */
export function pdConfigPath(setup: Pick<PdDaemonSetup, 'dir' | 'name'>): string {
  return join(setup.dir, `${setup.name}.cf`);
}

/** Writes the config file (without starting anything). */
export async function writePdConfig(setup: PdDaemonSetup): Promise<string> {
  const file = pdConfigPath(setup);
  await writeFile(file, pdConfig(setup));
  return file;
}

/** Writes the config, starts pd-forker-listen, waits for every listener. */
export async function startPdDaemon(setup: PdDaemonSetup, cleanup: CleanupStack, nodeFlags: readonly string[] = []): Promise<ManagedProcess> {
  assertLoopback(setup.host);
  const conf = await writePdConfig(setup);
  const bin = join(setup.repoRoot, 'packages', 'forker-listen', 'dist', 'bin.js');
  const server = ManagedProcess.start(`pd-forker-listen ${setup.name}`, [process.execPath, ...nodeFlags, bin, '-c', conf], join(setup.dir, `${setup.name}.log`), cleanup);
  try {
    for (const l of setup.listeners) await waitForPort(setup.host, l.port, 20_000, () => server.alive);
  } catch (error) {
    await server.stop();
    throw new Error(`${String(error instanceof Error ? error.message : error)} (see ${join(setup.dir, `${setup.name}.log`)})`);
  }
  return server;
}
