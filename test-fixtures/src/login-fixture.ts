/**
 * A complete login environment for forker integration tests (forker-inetd, forker-postfix), in a temp directory: a config file, a
 * SQLite user database (users created with the real `pd-admin`), a home root with Maildirs owned by
 * a test uid, readable by the real Dovecot backend. Needs root (backend uid switch).
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMaildir, deliverMessage, sampleMessage } from './maildir.js';

/** uid/gid of the mailbox owner (no passwd entry needed). */
export const MAIL_UID = 12345;
/** uid/gid the forkers read client input with (and that owns the SQLite database). */
export const SERVICE_UID = 12346;
/** The repository root (from test-fixtures/dist/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The pd-admin entry point. */
export const PD_ADMIN = join(REPO_ROOT, 'packages/admin/dist/bin/pd-admin.js');

/** What a test uses. */
export interface LoginFixture {
  readonly root: string;
  readonly configPath: string;
  /** Creates a user (password `secret`) with one message; returns the message text. */
  addUser(login: string): Promise<string>;
  remove(): void;
}

function run(cmd: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(cmd, [...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolvePromise(stdout);
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** The part of a mocha test context {@link requireEnvironment} needs (test-fixtures has no mocha types). */
export interface SkippableContext {
  skip(): void;
}

/** Skips (or, under CI=true, fails) unless every requirement holds. */
export function requireEnvironment(ctx: SkippableContext, checks: Record<string, boolean>): void {
  const missing = Object.entries(checks).filter(([, ok]) => !ok).map(([what]) => what);
  if (missing.length === 0) return;
  if (process.env.CI === 'true') throw new Error(`missing for this test: ${missing.join(', ')}`);
  console.log(`    skipped: missing ${missing.join(', ')}`);
  ctx.skip();
}

/** Requirements shared by the forker integration tests. */
export function loginRequirements(): Record<string, boolean> {
  return {
    'root (the backend runs as another uid)': process.getuid?.() === 0,
    'Dovecot (/usr/lib/dovecot/imap, pop3; apt-get install dovecot-imapd dovecot-pop3d)': existsSync('/usr/lib/dovecot/imap') && existsSync('/usr/lib/dovecot/pop3'),
    'python3': existsSync('/usr/bin/python3') || existsSync('/usr/local/bin/python3') || !!process.env.PATH?.split(':').some((p) => existsSync(join(p, 'python3'))),
    'a built pd-admin (npx tsc -b packages/admin)': existsSync(PD_ADMIN),
  };
}

/** Creates the environment: config, migrated database, home root. */
export async function createLoginFixture(extraConfig: Record<string, string> = {}): Promise<LoginFixture> {
  const root = mkdtempSync(join(tmpdir(), 'pd-forker-'));
  chmodSync(root, 0o755);
  const dbDir = join(root, 'db');
  const homes = join(root, 'home');
  mkdirSync(dbDir, { mode: 0o700 });
  mkdirSync(homes, { mode: 0o755 });
  const configPath = join(root, 'pigeondeliver.cf');
  const settings: Record<string, string> = {
    database: 'db-sqlite',
    database_url: join(dbDir, 'users.sqlite'),
    home_roots: homes,
    first_valid_uid: '1000',
    log_level: 'debug',
    ...extraConfig,
  };
  writeFileSync(configPath, Object.entries(settings).map(([k, v]) => `${k} = ${v}\n`).join(''), { mode: 0o644 });
  await run(process.execPath, [PD_ADMIN, '-c', configPath, 'db', 'migrate']);
  const chownDb = (): void => {
    chownSync(dbDir, SERVICE_UID, SERVICE_UID);
    for (const f of readdirSync(dbDir)) chownSync(join(dbDir, f), SERVICE_UID, SERVICE_UID);
  };
  chownDb();
  return {
    root,
    configPath,
    async addUser(login: string): Promise<string> {
      const home = join(homes, login);
      await run(process.execPath, [PD_ADMIN, '-c', configPath, 'user', 'add', login, '--uid', String(MAIL_UID), '--gid', String(MAIL_UID), '--home', home], 'secret\n');
      chownDb();
      mkdirSync(home, { mode: 0o700 });
      chownSync(home, MAIL_UID, MAIL_UID);
      const owner = { uid: MAIL_UID, gid: MAIL_UID };
      createMaildir(join(home, 'Maildir'), owner);
      const message = sampleMessage(`for ${login}`);
      deliverMessage(join(home, 'Maildir'), message, owner);
      return message;
    },
    remove(): void {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = a && typeof a === 'object' ? a.port : 0;
      s.close(() => resolvePromise(port));
    });
  });
}

/** Messages are stored with LF; IMAP delivers them with CRLF. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
