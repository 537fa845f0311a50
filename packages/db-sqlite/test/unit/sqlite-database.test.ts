import { existsSync } from 'node:fs';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { DatabaseUnavailableError, InvalidDataError } from '@pigeondeliver/core';
import { createTempDir } from '@pigeondeliver/test-fixtures/temp-dir';
import { describeUserRepository, expectRejection, uniqueTablePrefix } from '@pigeondeliver/test-fixtures/user-repository-suite';
import { createMemoryDatabase } from '@pigeondeliver/test-fixtures/memory-database';
import { expect } from 'chai';
import { createSqliteDatabase, openSqliteDatabase } from '@pigeondeliver/db-sqlite';

const dir = createTempDir('pd-db-sqlite-');
const sharedFile = dir.join('shared', 'users.sqlite');
/** A path whose parent is a regular file: the database can never be opened there. */
const impossible = `${dir.write('plain-file', 'x')}/users.sqlite`;

describeUserRepository({
  name: 'SQLite (temporary file)',
  available: async () => true,
  // Two connections in one process would wait on each other's locks synchronously (better-sqlite3
  // blocks in the busy handler); the cross-process race is tested below with a child process.
  sharedStore: false,
  open: (s) => openSqliteDatabase(sharedFile, { tablePrefix: s.tablePrefix, loginCaseInsensitive: s.loginCaseInsensitive, autoMigrate: s.autoMigrate ?? true }),
  unreachable: (timeoutMs) => createSqliteDatabase(impossible, { timeoutMs }),
});

describeUserRepository({
  name: 'SQLite (:memory:)',
  available: async () => true,
  sharedStore: false,
  open: (s) => openSqliteDatabase(':memory:', { tablePrefix: s.tablePrefix, loginCaseInsensitive: s.loginCaseInsensitive, autoMigrate: s.autoMigrate ?? true }),
  unreachable: (timeoutMs) => createSqliteDatabase(impossible, { timeoutMs }),
});

describe('sqlite-database', () => {
  it('looks users up with a statement SQLite keeps prepared (no bound LIMIT, which made it re-prepare per call)', async () => {
    const db = createSqliteDatabase(dir.join('no-limit', 'users.sqlite'));
    try {
      const k = await db.knexInstance();
      const prepared: string[] = [];
      k.on('query', (q: { method?: string; sql: string }) => {
        if (q.method === 'prepared') prepared.push(q.sql);
      });
      expect(await db.users.lookup('nobody')).to.equal(undefined);
      expect(prepared.filter((sql) => sql.includes('login_key'))).to.have.length(1);
      for (const sql of prepared) expect(sql.toLowerCase()).to.not.include('limit');
    } finally {
      await db.close();
    }
  });

  it('creates the folders and the file, in WAL mode and migrated, on first use only', async () => {
    const file = dir.join('first-use', 'deeper', 'users.sqlite');
    const db = createSqliteDatabase(file);
    try {
      expect(existsSync(file)).to.equal(false);
      expect(await db.users.lookup('nobody')).to.equal(undefined);
      expect(existsSync(file)).to.equal(true);
      const k = await db.knexInstance();
      const mode = (await k.raw('pragma journal_mode')) as { journal_mode: string }[];
      expect(mode[0]?.journal_mode).to.equal('wal');
      expect((await db.migrationStatus()).pending).to.deep.equal([]);
    } finally {
      await db.close();
    }
    const again = await openSqliteDatabase(file);
    try {
      expect(await again.migrate()).to.deep.equal([]);
    } finally {
      await again.close();
    }
  });

  it('commits without fsync (synchronous NORMAL) and makes an operator change durable on close with a TRUNCATE checkpoint, while another process holds the file', async () => {
    const file = dir.join('durable', 'users.sqlite');
    const daemon = await openSqliteDatabase(file);
    try {
      const k = await daemon.knexInstance();
      expect(((await k.raw('pragma synchronous')) as { synchronous: number }[])[0]?.synchronous).to.equal(1); // NORMAL
      // A process that only logs users in leaves the WAL to SQLite's automatic checkpoints.
      const login = await openSqliteDatabase(file);
      await login.users.lookup('nobody');
      await login.users.recordLogin('nobody', '192.0.2.1', new Date());
      await login.close();
      expect(statSync(`${file}-wal`).size, 'no checkpoint after logins only').to.be.greaterThan(0);
      const admin = await openSqliteDatabase(file);
      await admin.users.create({ login: 'durable-user' });
      expect(statSync(`${file}-wal`).size).to.be.greaterThan(0);
      await admin.close();
      // The admin's close wrote everything back into the database file, synced it and emptied the WAL.
      expect(statSync(`${file}-wal`).size).to.equal(0);
      expect((await daemon.users.lookup('durable-user'))?.login).to.equal('durable-user');
    } finally {
      await daemon.close();
    }
  });

  it('recovers by itself once the file can be opened', async () => {
    const base = dir.join('recover');
    mkdirSync(base, { recursive: true });
    dir.write('recover/blocker', 'x');
    const db = createSqliteDatabase(`${base}/blocker/users.sqlite`, { timeoutMs: 1000 });
    try {
      await expectRejection(db.users.lookup('alice'), DatabaseUnavailableError);
      rmSync(`${base}/blocker`);
      expect(await db.users.lookup('alice')).to.equal(undefined);
    } finally {
      await db.close();
    }
  });

  it('reports values SQLite let through its loose typing as InvalidDataError', async () => {
    const db = await createMemoryDatabase();
    try {
      await db.users.create({ login: 'dave' });
      const k = await db.knexInstance();
      await k(db.tables.users).where('login_key', 'dave').update({ uid: 'abc' });
      expect((await expectRejection(db.users.lookup('dave'), InvalidDataError)).message).to.match(/"dave".*uid/);
      await k(db.tables.users).where('login_key', 'dave').update({ uid: null, enabled: 7 });
      expect((await expectRejection(db.users.lookup('dave'), InvalidDataError)).message).to.match(/enabled/);
      await k(db.tables.users).where('login_key', 'dave').update({ enabled: 1, created_at: 'yesterday' });
      expect((await expectRejection(db.users.lookup('dave'), InvalidDataError)).message).to.match(/created_at/);
    } finally {
      await db.close();
    }
  });

  it('keeps each table prefix apart in one file', async () => {
    const file = dir.join('prefixes.sqlite');
    const a = await openSqliteDatabase(file, { tablePrefix: uniqueTablePrefix() });
    const b = await openSqliteDatabase(file, { tablePrefix: uniqueTablePrefix() });
    try {
      await a.users.create({ login: 'only-in-a' });
      expect(await b.users.lookup('only-in-a')).to.equal(undefined);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a server URL and an unusable table prefix', () => {
    expect(() => createSqliteDatabase('postgres://u@h/db')).to.throw(/db-postgres/);
    expect(() => createSqliteDatabase(':memory:', { tablePrefix: 'bad-prefix' })).to.throw(/table prefix/);
  });
});
