/**
 * The login cells of `pigeondeliver-handoff`: pd-forker-listen with backend-dovecot in handoff mode
 * (`dovecot_mode = handoff`, packages/forker-listen/README.md) against a private Dovecot that is the
 * high-performance configuration plus the pools `pd-admin dovecot config` generates, in its own
 * directory and base_dir. That Dovecot runs only while these cells run (nothing else is measured
 * meanwhile); the server CPU of a cell counts the daemon and that Dovecot's whole tree.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchUser } from '../fixtures/mail-users.js';
import type { BenchIdentities } from '../fixtures/system-users.js';
import type { Protocol } from '../load/dialogues.js';
import type { BenchPlan, LoginCell } from '../results.js';
import { startDovecot, type DovecotSetup } from '../servers/dovecot-instance.js';
import type { ManagedProcess } from '../servers/managed-process.js';
import { startPdDaemon, writePdConfig, type PdDaemonSetup, type PdHandoff, type PdListener } from '../servers/pd-daemon.js';
import type { CleanupStack } from '../system/cleanup-stack.js';
import { freePort } from '../system/free-port.js';
import { runCommand } from '../system/run-command.js';
import { runLoginCells, unavailableLoginCells } from './login-cells.js';

/** Starts a server, runs `body` with it, stops it; a failure to start calls `onFailure` (bench-run.ts). */
export type WithServer = (label: string, start: () => Promise<ManagedProcess>, body: (server: ManagedProcess) => Promise<void>, onFailure: (reason: string) => void) => Promise<void>;

/** What the handoff cells need from the run. */
export interface HandoffContext {
  readonly dir: string;
  readonly host: string;
  readonly plan: BenchPlan;
  readonly ids: BenchIdentities;
  readonly users: readonly BenchUser[];
  /** The daemon settings every instance shares (listeners and name are set here). */
  readonly pdBase: Omit<PdDaemonSetup, 'name' | 'listeners'>;
  /** `node .../pd-admin.js` (without `-c`). */
  readonly pdAdminScript: readonly string[];
  /** The exec-mode Dovecot's setup: same ports, users and certificate; the directory is replaced. */
  readonly dovecotSetup: DovecotSetup;
  readonly cleanup: CleanupStack;
  readonly log: (line: string) => void;
  readonly logins: LoginCell[];
  readonly notes: string[];
  readonly withServer: WithServer;
  readonly pdNodeFlags: readonly string[];
}

const PROTOCOLS = ['imap', 'pop3'] as const satisfies readonly Protocol[];

/** Prestarted processes per pool (as the high-performance imap/pop3 services) and their limit. */
const POOL_MIN_AVAIL = 16;
const POOL_LIMIT = 2500;

/** Runs the IMAP and POP3 login cells of `pigeondeliver-handoff` (skipped when not root). */
export async function runHandoffCells(ctx: HandoffContext): Promise<void> {
  const { dir, host, plan, ids, logins } = ctx;
  if (!ids.root) {
    for (const protocol of PROTOCOLS) logins.push(...unavailableLoginCells('pigeondeliver-handoff', protocol, plan, 'skipped', 'handoff mode needs root (the primary hands sockets to root-owned Dovecot pools)'));
    return;
  }
  const dovecotDir = join(dir, 'dovecot-handoff');
  const authDir = join(dir, 'pd-handoff');
  await mkdir(dovecotDir, { recursive: true });
  await mkdir(authDir, { recursive: true, mode: 0o755 });
  const loginDir = join(dir, 'pd-login');
  await mkdir(loginDir, { recursive: true, mode: 0o755 });
  const handoff: PdHandoff = {
    baseDir: join(dovecotDir, 'run'),
    authSocket: join(authDir, 'auth-master'),
    uids: [ids.mailUid],
    processMinAvail: POOL_MIN_AVAIL,
    processLimit: POOL_LIMIT,
    // The workers' own group on the login sockets: workers send descriptors themselves (decision 0007 §5).
    loginGroup: (await runCommand(['id', '-gn', ids.workerUser])).trim(),
    loginDir,
  };
  const dovecotConfig = join(dovecotDir, 'dovecot-handoff.conf');
  const base = { ...ctx.pdBase, dovecotConfig, handoff };
  let services: string;
  try {
    const conf = await writePdConfig({ ...base, name: 'pd-handoff-admin', listeners: [] });
    services = await runCommand([...ctx.pdAdminScript, '-c', conf, 'dovecot', 'config']);
  } catch (error) {
    const reason = `pd-admin dovecot config: ${error instanceof Error ? error.message : String(error)}`;
    ctx.log(reason);
    ctx.notes.push(reason);
    for (const protocol of PROTOCOLS) logins.push(...unavailableLoginCells('pigeondeliver-handoff', protocol, plan, 'blocked', reason));
    return;
  }
  const dovecotSetup: DovecotSetup = { ...ctx.dovecotSetup, dir: dovecotDir, handoffServices: services };
  ctx.log(`handoff: Dovecot high-performance + ${handoff.uids.length} uid pool(s) from pd-admin dovecot config, base_dir ${handoff.baseDir}`);
  await ctx.withServer(
    'dovecot (handoff pools)',
    () => startDovecot(dovecotSetup, 'handoff', ctx.cleanup),
    async (dovecot) => {
      for (const protocol of PROTOCOLS) {
        const service = protocol === 'imap' ? 'login-imap' : 'login-pop3';
        const listeners: PdListener[] = [{ name: protocol, port: await freePort(), tls: false, service }];
        await ctx.withServer(
          `pd-forker-listen handoff (${protocol})`,
          () => startPdDaemon({ ...base, name: `pd-handoff-${protocol}`, listeners }, ctx.cleanup, ctx.pdNodeFlags),
          async (server) => {
            const port = (listeners[0] as PdListener).port;
            logins.push(...(await runLoginCells({ target: 'pigeondeliver-handoff', host, port, protocol, serverPid: server.pid, extraPids: [dovecot.pid] }, ctx.users, plan, false, ctx.log)));
          },
          (reason) => logins.push(...unavailableLoginCells('pigeondeliver-handoff', protocol, plan, 'blocked', reason)),
        );
      }
    },
    (reason) => {
      for (const protocol of PROTOCOLS) logins.push(...unavailableLoginCells('pigeondeliver-handoff', protocol, plan, 'blocked', reason));
    },
  );
}
