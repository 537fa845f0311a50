/**
 * One benchmark run: sets up users, Maildirs, a certificate and a private Dovecot, then measures
 * PigeonDeliver's daemon and Dovecot (default, then high-performance) one after the other, so they never
 * compete for the 2 cores. A section whose product piece does not work is recorded as blocked, with
 * the reason, and the run goes on.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runsSection, type BenchOptions } from './bench-options.js';
import { runGreetingCells } from './cells/greeting-cells.js';
import { runIdleCells } from './cells/idle-cells.js';
import { runHandoffCells } from './cells/handoff-cells.js';
import { runLoginCells, unavailableLoginCells } from './cells/login-cells.js';
import { runThroughputCell } from './cells/throughput-cells.js';
import { makeCertificate } from './fixtures/certificate.js';
import { createUsers, passwdFile, type BenchUser } from './fixtures/mail-users.js';
import { ensureIdentities } from './fixtures/system-users.js';
import type { Protocol } from './load/dialogues.js';
import { machineInfo } from './report/machine-info.js';
import type { BenchResults, IdleCell, LoginCell, ThroughputCell, GreetingCell, Target } from './results.js';
import { startDovecot, writeDovecotConfig, type DovecotMode } from './servers/dovecot-instance.js';
import type { ManagedProcess } from './servers/managed-process.js';
import { startPdDaemon, writePdConfig, type PdDaemonSetup, type PdListener } from './servers/pd-daemon.js';
import type { CleanupStack } from './system/cleanup-stack.js';
import { freePort } from './system/free-port.js';
import { runCommand } from './system/run-command.js';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs everything; `dir` is the private run directory (mode 0755, removed by the caller). */
export async function runBench(options: BenchOptions, repoRoot: string, dir: string, cleanup: CleanupStack, log: (line: string) => void): Promise<BenchResults> {
  const { plan, host } = options;
  const notes: string[] = [];
  const logins: LoginCell[] = [];
  const authOnly: LoginCell[] = [];
  const idleMemory: IdleCell[] = [];
  const throughput: ThroughputCell[] = [];

  // --- setup -------------------------------------------------------------------------------------
  const ids = await ensureIdentities();
  const homeRoot = join(dir, 'home');
  const dbDir = join(dir, 'db');
  await mkdir(homeRoot, { recursive: true });
  await mkdir(dbDir, { recursive: true });
  await chmod(homeRoot, 0o755);
  const certificate = await makeCertificate(dir);
  const databaseFile = join(dbDir, 'users.sqlite');
  const passwd = join(dir, 'passwd');
  const ports = { imap: await freePort(), imaps: await freePort(), pop3: await freePort(), pop3s: await freePort() };
  const dovecotSetup = { dir: join(dir, 'dovecot'), host, ports, passwdFile: passwd, certificate, firstValidUid: Math.min(ids.mailUid, 500), loginClientLimit: Math.max(...plan.idleCounts) + 1000 };
  await mkdir(dovecotSetup.dir, { recursive: true });
  const dovecotConfigFile = await writeDovecotConfig(dovecotSetup, 'default');
  const pdBase = {
    dir, host, repoRoot, databaseFile, homeRoot, certificate,
    firstValidUid: Math.min(ids.mailUid, 500),
    workerUser: ids.workerUser,
    workers: plan.daemonWorkers,
    dovecotConfig: dovecotConfigFile,
  };
  const adminConf = await writePdConfig({ ...pdBase, name: 'admin', listeners: [] });
  const pdAdmin = [process.execPath, join(repoRoot, 'packages', 'admin', 'dist', 'bin', 'pd-admin.js'), '-c', adminConf];
  log(`setup: users ${plan.schemes.join(', ')} via pd-admin, Maildirs with a ${(plan.messageBytes / 1048576).toFixed(1)} MiB message`);
  const users = await createUsers(pdAdmin, databaseFile, homeRoot, plan.schemes, ids, plan.messageBytes);
  if (ids.root) {
    // The unprivileged workers open the SQLite database (and its -wal/-shm files).
    await runCommand(['chown', '-R', ids.workerUser, dbDir]);
  }
  await writeFile(passwd, passwdFile(users, ids), { mode: 0o644 });
  const bigUser = users[0] as BenchUser;

  // Node refuses --cpu-prof in NODE_OPTIONS: it goes on the command line, and fork() passes execArgv on to the workers.
  const pdNodeFlags = [...options.nodeFlags, ...(options.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`])];
  if (options.profileDir !== undefined) {
    await mkdir(options.profileDir, { recursive: true });
    await chmod(options.profileDir, 0o1777); // the workers write theirs as the worker user
  }

  const withServer = async (label: string, start: () => Promise<ManagedProcess>, body: (server: ManagedProcess) => Promise<void>, onFailure: (reason: string) => void) => {
    let server: ManagedProcess;
    try {
      server = await start();
    } catch (error) {
      const reason = `${label} did not start: ${message(error)}`;
      log(reason);
      notes.push(reason);
      onFailure(reason);
      return;
    }
    try {
      await body(server);
    } catch (error) {
      const reason = `${label}: ${message(error)}`;
      log(reason);
      notes.push(reason);
    } finally {
      await server.stop();
    }
  };

  // --- PigeonDeliver ----------------------------------------------------------------------------
  for (const protocol of ['imap', 'pop3'] as const satisfies readonly Protocol[]) {
    if (!runsSection(options, 'pd') && !runsSection(options, 'auth-only')) break;
    const service = protocol === 'imap' ? 'login-imap' : 'login-pop3';
    const listeners: PdListener[] = [
      { name: protocol, port: await freePort(), tls: false, service },
      { name: `${protocol}s`, port: await freePort(), tls: true, service },
    ];
    const setup: PdDaemonSetup = { ...pdBase, name: `pd-${protocol}`, listeners };
    if (runsSection(options, 'pd')) await withServer(
      `pd-forker-listen (${protocol})`,
      () => startPdDaemon(setup, cleanup, pdNodeFlags),
      async (server) => {
        const [plain, tls] = listeners as [PdListener, PdListener];
        logins.push(...(await runLoginCells({ target: 'pigeondeliver', host, port: plain.port, protocol, serverPid: server.pid }, users, plan, false, log)));
        throughput.push(await runThroughputCell('pigeondeliver', protocol, false, host, plain.port, bigUser, plan.fetchRepetitions, log));
        throughput.push(await runThroughputCell('pigeondeliver', protocol, true, host, tls.port, bigUser, plan.fetchRepetitions, log));
      },
      (reason) => {
        logins.push(...unavailableLoginCells('pigeondeliver', protocol, plan, 'blocked', reason));
      },
    );
    // Idle memory on a fresh daemon (as for Dovecot below): after the login cells, the garbage they
    // left is collected at some moment while the idle connections open, and the "before" figure
    // would mean nothing (a run measured -11.6 KiB per connection).
    if (runsSection(options, 'pd') && protocol === 'imap') await withServer(
      `pd-forker-listen (${protocol}, idle connections)`,
      () => startPdDaemon(setup, cleanup, pdNodeFlags),
      async (server) => {
        idleMemory.push(...(await runIdleCells('pigeondeliver', host, (listeners[0] as PdListener).port, server.pid, plan.idleCounts, log)));
      },
      () => undefined,
    );
    // Authentication alone: the same daemon with first_valid_uid above the users' uid, so every
    // verified login is refused at the backend step and no mail server is started.
    const authListeners: PdListener[] = [{ name: protocol, port: await freePort(), tls: false, service }];
    if (runsSection(options, 'auth-only')) await withServer(
      `pd-forker-listen auth-only (${protocol})`,
      () => startPdDaemon({ ...pdBase, name: `pd-auth-${protocol}`, listeners: authListeners, firstValidUid: ids.mailUid + 1 }, cleanup, pdNodeFlags),
      async (server) => {
        authOnly.push(...(await runLoginCells({ target: 'pigeondeliver', host, port: (authListeners[0] as PdListener).port, protocol, serverPid: server.pid }, users, plan, true, log)));
      },
      (reason) => authOnly.push(...unavailableLoginCells('pigeondeliver', protocol, plan, 'blocked', reason)),
    );
  }

  // --- Dovecot, and PigeonDeliver in Dovecot handoff mode --------------------------------------
  // The handoff cells run right before Dovecot high-performance, the configuration they are compared
  // with, so that a change of this shared host's speed during the run weighs on both alike.
  for (const mode of ['default', 'high-performance'] as const satisfies readonly DovecotMode[]) {
    if (mode === 'high-performance' && runsSection(options, 'handoff')) {
      await runHandoffCells({ dir, host, plan, ids, users, pdBase, pdAdminScript: pdAdmin.slice(0, 2), dovecotSetup, cleanup, log, logins, notes, withServer, pdNodeFlags });
    }
    const target: Target = mode === 'default' ? 'dovecot-default' : 'dovecot-high-performance';
    if (!runsSection(options, target)) continue;
    await withServer(
      `dovecot (${mode})`,
      () => startDovecot(dovecotSetup, mode, cleanup),
      async (server) => {
        for (const protocol of ['imap', 'pop3'] as const) {
          logins.push(...(await runLoginCells({ target, host, port: ports[protocol], protocol, serverPid: server.pid }, users, plan, false, log)));
          if (mode === 'default') {
            throughput.push(await runThroughputCell(target, protocol, false, host, ports[protocol], bigUser, plan.fetchRepetitions, log));
            throughput.push(await runThroughputCell(target, protocol, true, host, protocol === 'imap' ? ports.imaps : ports.pop3s, bigUser, plan.fetchRepetitions, log));
          }
        }
      },
      (reason) => {
        for (const protocol of ['imap', 'pop3'] as const) logins.push(...unavailableLoginCells(target, protocol, plan, 'blocked', reason));
      },
    );
    await withServer(
      `dovecot (${mode}, idle connections)`,
      () => startDovecot(dovecotSetup, mode, cleanup),
      async (server) => {
        // Default mode starts one imap-login process per connection: measured at the smaller count only.
        const counts = mode === 'default' ? plan.idleCounts.slice(0, 1) : plan.idleCounts;
        idleMemory.push(...(await runIdleCells(target, host, ports.imap, server.pid, counts, log)));
      },
      () => undefined,
    );
  }

  // --- time to greeting ---------------------------------------------------------------------------
  const stdioConf = await writePdConfig({ ...pdBase, name: 'pd-stdio', listeners: [] });
  let greeting: GreetingCell[] = [];
  if (runsSection(options, 'greeting')) try {
    greeting = await runGreetingCells(repoRoot, stdioConf, host, plan.greetingRuns, log);
  } catch (error) {
    notes.push(`greeting cells: ${message(error)}`);
  }

  return { machine: await machineInfo(repoRoot), plan, logins, authOnly, idleMemory, throughput, greeting, notes };
}
