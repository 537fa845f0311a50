/// <reference types="mocha" />
/**
 * The one repository test suite, run against every dialect (SQLite file and `:memory:`, PostgreSQL,
 * MariaDB/MySQL) by the `db-*` packages' tests. Each test opens its own tables under a unique table
 * prefix and drops them afterwards, so runs never collide, even concurrently on one server.
 */
import {
  ConflictError,
  DatabaseUnavailableError,
  InvalidDataError,
  NotFoundError,
  StaleUpdateError,
  type IDatabase,
  type UserRecord,
} from '@pigeondeliver/core';
import { InvalidInputError, SCHEMA_MIGRATIONS, type KnexDatabase } from '@pigeondeliver/db-common';
import { expect } from 'chai';
import { listenLoopback } from './loopback-server.js';

/** How a harness opens one test's database. */
export interface HarnessOpenSettings {
  /** Table prefix unique to this test. */
  readonly tablePrefix: string;
  readonly loginCaseInsensitive?: boolean;
  /** Default true: the suite wants a migrated database unless it tests migrations. */
  readonly autoMigrate?: boolean;
}

/** What a dialect's test gives the suite. */
export interface DatabaseHarness {
  /** Suite title, e.g. `PostgreSQL @integration`. */
  readonly name: string;
  /** `true` when the database can be used, else why not (skipped outside CI, a failure under CI=true). */
  available(): Promise<true | string>;
  /** Opens a database (connected; migrated unless `autoMigrate: false`). */
  open(settings: HarnessOpenSettings): Promise<KnexDatabase>;
  /** Two opens with the same prefix see the same rows (false for `:memory:`). */
  readonly sharedStore: boolean;
  /** A database object for a store that cannot be reached (closed port, path under a file); not connected yet. */
  unreachable(timeoutMs: number): IDatabase;
  /** Server dialects: a database object for `127.0.0.1:port` (a listener that never answers). */
  silent?(port: number, timeoutMs: number): IDatabase;
}

let prefixCounter = 0;

/** A table prefix unique to this process and call (`pdt_<pid>_<n>_<random>_`). */
export function uniqueTablePrefix(): string {
  prefixCounter += 1;
  const random = Math.floor(Math.random() * 36 ** 4).toString(36);
  return `pdt_${process.pid.toString(36)}_${prefixCounter}_${random}_`;
}

/** Awaits a rejection and checks its class; returns the error for further checks. */
export async function expectRejection<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  let settled: unknown;
  try {
    settled = await promise;
  } catch (e) {
    if (!(e instanceof type)) {
      throw new Error(`expected ${type.name}, got ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
    }
    return e;
  }
  throw new Error(`expected ${type.name}, but it resolved with ${JSON.stringify(settled)}`);
}

/** A closed loopback port: listened on, then closed, so a connection is refused at once. */
export async function closedPort(): Promise<number> {
  const server = await listenLoopback();
  await server.close();
  return server.port;
}

/** Declares the repository suite for one harness. */
export function describeUserRepository(harness: DatabaseHarness): void {
  describe(`user repository on ${harness.name}`, function () {
    let opened: KnexDatabase[] = [];
    let prefix = '';

    before(async function () {
      const status = await harness.available();
      if (status === true) return;
      if (process.env['CI'] === 'true') throw new Error(`${harness.name} is required under CI=true: ${status}`);
      console.log(`      skipping ${harness.name}: ${status}`);
      this.skip();
    });

    beforeEach(() => {
      prefix = uniqueTablePrefix();
    });

    afterEach(async () => {
      for (const db of opened) {
        try {
          await db.dropSchema();
        } catch {
          // Closed by the test: drop its tables through a fresh connection to the same store.
          const again = harness.sharedStore ? await harness.open({ tablePrefix: db.tables.prefix, autoMigrate: false }).catch(() => undefined) : undefined;
          await again?.dropSchema().catch(() => undefined);
          await again?.close();
        }
        await db.close();
      }
      opened = [];
    });

    async function open(settings: Partial<HarnessOpenSettings> = {}): Promise<KnexDatabase> {
      const db = await harness.open({ tablePrefix: prefix, ...settings });
      opened.push(db);
      return db;
    }

    /** A second connection to the same store when the dialect has one, else the same object. */
    async function peer(db: KnexDatabase): Promise<KnexDatabase> {
      return harness.sharedStore ? open({ tablePrefix: db.tables.prefix, loginCaseInsensitive: db.loginCaseInsensitive }) : db;
    }

    describe('migrations', () => {
      it('applies every migration once and is idempotent', async () => {
        const db = await open({ autoMigrate: false });
        expect(await db.migrationStatus()).to.deep.equal({ applied: [], pending: SCHEMA_MIGRATIONS.map((m) => m.name) });
        expect(await db.migrate()).to.deep.equal(SCHEMA_MIGRATIONS.map((m) => m.name));
        expect(await db.migrate()).to.deep.equal([]);
        if (harness.sharedStore) {
          const again = await open({ autoMigrate: false });
          expect(await again.migrate()).to.deep.equal([]);
        }
        expect((await db.migrationStatus()).pending).to.deep.equal([]);
        await db.users.create({ login: 'after-migrate' });
        expect(await db.users.lookup('after-migrate')).to.not.equal(undefined);
      });

      if (harness.sharedStore) {
        it('survives two processes migrating the same tables at once', async () => {
          const a = await open({ autoMigrate: false });
          const b = await open({ autoMigrate: false });
          const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
          expect([...ra, ...rb].sort()).to.deep.equal(SCHEMA_MIGRATIONS.map((m) => m.name).sort());
          expect((await b.migrationStatus()).pending).to.deep.equal([]);
        });
      }

      it('migrates on first use with autoMigrate', async () => {
        const db = await open({ autoMigrate: true });
        expect((await db.migrationStatus()).pending).to.deep.equal([]);
        expect(await db.users.lookup('nobody')).to.equal(undefined);
      });
    });

    describe('create and lookup', () => {
      it('creates a user with defaults and finds it with all its configuration', async () => {
        const db = await open();
        const before = Date.now();
        const created = await db.users.create({
          login: 'alice',
          password: '{SHA512-CRYPT}$6$salt$hash',
          uid: 1001,
          gid: 1002,
          home: '/home/alice',
          mail: 'maildir:~/Maildir',
          host: 'node2',
          backend: 'backend-courier',
          quotaBytes: 5 * 1024 ** 4,
        });
        expect(created).to.include({
          login: 'alice',
          password: '{SHA512-CRYPT}$6$salt$hash',
          uid: 1001,
          gid: 1002,
          home: '/home/alice',
          mail: 'maildir:~/Maildir',
          host: 'node2',
          backend: 'backend-courier',
          quotaBytes: 5 * 1024 ** 4,
          enabled: true,
          allowImap: true,
          allowPop3: true,
          version: 1,
          lastLoginAt: null,
          lastLoginIp: null,
        });
        expect(created.id).to.be.a('number').and.greaterThan(0);
        expect(created.createdAt.getTime()).to.be.within(before - 1000, Date.now() + 1000);
        expect(created.updatedAt.getTime()).to.equal(created.createdAt.getTime());
        expect(await db.users.lookup('alice')).to.deep.equal(created);
      });

      it('stores nulls and false flags as given', async () => {
        const db = await open();
        await db.users.create({ login: 'minimal', password: null, enabled: false, allowImap: false, allowPop3: true });
        const u = await db.users.lookup('minimal');
        expect(u).to.include({ password: null, uid: null, gid: null, home: null, quotaBytes: null, enabled: false, allowImap: false, allowPop3: true });
      });

      it('answers undefined for an unknown or impossible login', async () => {
        const db = await open();
        expect(await db.users.lookup('ghost')).to.equal(undefined);
        expect(await db.users.lookup('')).to.equal(undefined);
        expect(await db.users.lookup('x'.repeat(300))).to.equal(undefined);
        expect(await db.users.lookup('a\r\nb')).to.equal(undefined);
      });

      it('looks a user up with exactly one query', async () => {
        const db = await open();
        await db.users.create({ login: 'onequery', password: '{PLAIN}x' });
        await db.users.lookup('onequery'); // warm: connected and migrated
        const k = await db.knexInstance();
        const seen: string[] = [];
        const listener = (q: { sql: string }) => seen.push(q.sql);
        k.on('query', listener);
        try {
          const u = await db.users.lookup('OneQuery');
          expect(u?.password).to.equal('{PLAIN}x');
        } finally {
          k.off('query', listener);
        }
        expect(seen).to.have.length(1);
        expect(seen[0]).to.match(/^select /i);
      });

      it('compares logins without regard to case, keeping the login as given', async () => {
        const db = await open();
        const created = await db.users.create({ login: 'Alice.Smith' });
        for (const variant of ['alice.smith', 'ALICE.SMITH', 'Alice.Smith']) {
          const u = await db.users.lookup(variant);
          expect(u?.id, variant).to.equal(created.id);
          expect(u?.login).to.equal('Alice.Smith');
        }
        await expectRejection(db.users.create({ login: 'alice.SMITH' }), ConflictError);
      });

      it('compares logins exactly when login_case_insensitive is off', async () => {
        const db = await open({ loginCaseInsensitive: false });
        await db.users.create({ login: 'Bob' });
        await db.users.create({ login: 'bob' });
        expect((await db.users.lookup('Bob'))?.login).to.equal('Bob');
        expect((await db.users.lookup('bob'))?.login).to.equal('bob');
        expect(await db.users.lookup('BOB')).to.equal(undefined);
        expect((await db.users.list('b')).map((u) => u.login)).to.deep.equal(['bob']);
      });

      it('refuses a duplicate login with ConflictError and keeps the first user', async () => {
        const db = await open();
        const first = await db.users.create({ login: 'dup', uid: 2000 });
        const err = await expectRejection(db.users.create({ login: 'dup', uid: 3000, password: 'secret-password' }), ConflictError);
        expect(err.message).to.contain('dup').and.not.contain('secret-password');
        expect(await db.users.lookup('dup')).to.deep.equal(first);
      });

      it('refuses bad input with a message naming the field and never the password', async () => {
        const db = await open();
        await expectRejection(db.users.create({ login: '' }), InvalidInputError);
        await expectRejection(db.users.create({ login: ' padded' }), InvalidInputError);
        await expectRejection(db.users.create({ login: 'ctl\u0001' }), InvalidInputError);
        expect((await expectRejection(db.users.create({ login: 'u', uid: -1 }), InvalidInputError)).message).to.contain('uid');
        expect((await expectRejection(db.users.create({ login: 'u', uid: 1.5 }), InvalidInputError)).message).to.contain('uid');
        expect((await expectRejection(db.users.create({ login: 'u', home: 'relative/home' }), InvalidInputError)).message).to.contain('home');
        expect((await expectRejection(db.users.create({ login: 'u', quotaBytes: -5 }), InvalidInputError)).message).to.contain('quotaBytes');
        const long = `{PLAIN}${'p'.repeat(2000)}`;
        const err = await expectRejection(db.users.create({ login: 'u', password: long }), InvalidInputError);
        expect(err.message).to.contain('password').and.not.contain('pppp');
        expect(await db.users.lookup('u')).to.equal(undefined);
      });
    });

    describe('list', () => {
      it('lists all users ordered by login, or those whose login starts with a prefix', async () => {
        const db = await open();
        for (const login of ['alice', 'bob', 'alan', 'ALBERT', 'al_x', 'al%y', 'carol']) await db.users.create({ login });
        expect((await db.users.list()).map((u) => u.login)).to.deep.equal(['al%y', 'al_x', 'alan', 'ALBERT', 'alice', 'bob', 'carol']);
        expect((await db.users.list('al')).map((u) => u.login)).to.deep.equal(['al%y', 'al_x', 'alan', 'ALBERT', 'alice']);
        expect((await db.users.list('AL')).map((u) => u.login)).to.deep.equal(['al%y', 'al_x', 'alan', 'ALBERT', 'alice']);
        // LIKE wildcards in the prefix are literal characters.
        expect((await db.users.list('al_')).map((u) => u.login)).to.deep.equal(['al_x']);
        expect((await db.users.list('al%')).map((u) => u.login)).to.deep.equal(['al%y']);
        expect(await db.users.list('zz')).to.deep.equal([]);
      });
    });

    describe('update', () => {
      it('applies the changes and bumps the version', async () => {
        const db = await open();
        const u = await db.users.create({ login: 'upd', uid: 1000, home: '/home/upd', quotaBytes: 10 });
        const changed = await db.users.update('UPD', u.version, { uid: 1500, quotaBytes: null, enabled: false });
        expect(changed).to.include({ login: 'upd', uid: 1500, quotaBytes: null, enabled: false, home: '/home/upd', version: u.version + 1 });
        expect(changed.updatedAt.getTime()).to.be.at.least(u.updatedAt.getTime());
        expect(changed.createdAt.getTime()).to.equal(u.createdAt.getTime());
        expect(await db.users.lookup('upd')).to.deep.equal(changed);
        const again = await db.users.update('upd', changed.version, {});
        expect(again.version).to.equal(changed.version + 1);
      });

      it('refuses a stale version, a missing user and unknown fields', async () => {
        const db = await open();
        const u = await db.users.create({ login: 'stale' });
        await db.users.update('stale', u.version, { uid: 1 });
        const stale = await expectRejection(db.users.update('stale', u.version, { uid: 2 }), StaleUpdateError);
        expect(stale.expectedVersion).to.equal(1);
        expect(stale.actualVersion).to.equal(2);
        expect((await db.users.lookup('stale'))?.uid).to.equal(1);
        await expectRejection(db.users.update('missing', 1, { uid: 2 }), NotFoundError);
        await expectRejection(db.users.update('stale', 2, { login: 'renamed' } as never), InvalidInputError);
        await expectRejection(db.users.update('stale', 2, { colour: 'blue' } as never), InvalidInputError);
        await expectRejection(db.users.update('stale', 0, {}), InvalidInputError);
      });

      it('lets exactly one of two racing updates win, every round', async () => {
        const a = await open();
        const b = await peer(a);
        await a.users.create({ login: 'race', quotaBytes: 0 });
        for (let round = 0; round < 25; round++) {
          const current = (await a.users.lookup('race'))!;
          const results = await Promise.allSettled([
            a.users.update('race', current.version, { quotaBytes: 2 * round, uid: 100 + round }),
            b.users.update('race', current.version, { quotaBytes: 2 * round + 1, gid: 100 + round }),
          ]);
          const won = results.filter((r): r is PromiseFulfilledResult<UserRecord> => r.status === 'fulfilled');
          const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
          expect(won, `round ${round}`).to.have.length(1);
          expect(lost[0]!.reason, `round ${round}`).to.be.instanceOf(StaleUpdateError);
          expect((lost[0]!.reason as StaleUpdateError).actualVersion).to.equal(current.version + 1);
          const final = (await a.users.lookup('race'))!;
          expect(final.version).to.equal(current.version + 1);
          expect(final.quotaBytes).to.equal(won[0]!.value.quotaBytes);
        }
      });

      it('loses no update when writers retry after StaleUpdateError', async () => {
        const a = await open();
        const b = await peer(a);
        await a.users.create({ login: 'counter', quotaBytes: 0 });
        const perWriter = 8;
        const writer = async (db: KnexDatabase) => {
          for (let done = 0; done < perWriter; ) {
            const u = (await db.users.lookup('counter'))!;
            try {
              await db.users.update('counter', u.version, { quotaBytes: (u.quotaBytes ?? 0) + 1 });
              done++;
            } catch (e) {
              if (!(e instanceof StaleUpdateError)) throw e;
            }
          }
        };
        await Promise.all([writer(a), writer(b), writer(a), writer(b)]);
        const final = (await a.users.lookup('counter'))!;
        expect(final.quotaBytes).to.equal(4 * perWriter);
        expect(final.version).to.equal(1 + 4 * perWriter);
      });
    });

    describe('remove and recordLogin', () => {
      it('removes a user once', async () => {
        const db = await open();
        await db.users.create({ login: 'gone' });
        expect(await db.users.remove('GONE')).to.equal(true);
        expect(await db.users.remove('gone')).to.equal(false);
        expect(await db.users.lookup('gone')).to.equal(undefined);
        expect(await db.users.remove('')).to.equal(false);
        expect((await db.users.create({ login: 'gone' })).version).to.equal(1);
      });

      it('records the last login without bumping the version, and never throws', async () => {
        const db = await open();
        const u = await db.users.create({ login: 'seen' });
        const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
        await db.users.recordLogin('Seen', '2001:db8::1', at);
        const after = (await db.users.lookup('seen'))!;
        expect(after.lastLoginAt?.getTime()).to.equal(at.getTime());
        expect(after.lastLoginIp).to.equal('2001:db8::1');
        expect(after.version).to.equal(u.version);
        await db.users.recordLogin('nobody-here', '192.0.2.1', new Date());
        await db.users.recordLogin('', '192.0.2.1', new Date());
        const down = harness.unreachable(300);
        try {
          await down.users.recordLogin('seen', '192.0.2.1', new Date());
        } finally {
          await down.close();
        }
      });
    });

    describe('nodes', () => {
      const key = Buffer.alloc(32, 7).toString('base64');

      it('inserts, reads, lists, updates and removes peers', async () => {
        const db = await open();
        const n2 = await db.nodes.upsert({ name: 'node2', address: '10.0.0.2', imapPort: 143, pop3Port: 110, handoffPort: 9143, publicKey: null });
        expect(n2).to.deep.equal({ name: 'node2', address: '10.0.0.2', imapPort: 143, pop3Port: 110, handoffPort: 9143, publicKey: null, version: 1 });
        await db.nodes.upsert({ name: 'node1', address: 'mx1.example.net', imapPort: 993, pop3Port: 0, handoffPort: 9143, publicKey: key });
        expect(await db.nodes.get('node1')).to.deep.include({ publicKey: key, pop3Port: 0, version: 1 });
        expect((await db.nodes.list()).map((n) => n.name)).to.deep.equal(['node1', 'node2']);
        const moved = await db.nodes.upsert({ ...n2, address: '10.0.0.22', publicKey: key });
        expect(moved).to.include({ address: '10.0.0.22', publicKey: key, version: 2 });
        expect(await db.nodes.remove('node2')).to.equal(true);
        expect(await db.nodes.remove('node2')).to.equal(false);
        expect(await db.nodes.get('node2')).to.equal(undefined);
        expect(await db.nodes.get('')).to.equal(undefined);
      });

      it('refuses bad peers', async () => {
        const db = await open();
        const good = { name: 'n', address: '10.0.0.1', imapPort: 143, pop3Port: 110, handoffPort: 9143, publicKey: null };
        await expectRejection(db.nodes.upsert({ ...good, name: 'has space' }), InvalidInputError);
        await expectRejection(db.nodes.upsert({ ...good, imapPort: 70000 }), InvalidInputError);
        await expectRejection(db.nodes.upsert({ ...good, publicKey: 'not-a-key' }), InvalidInputError);
        await expectRejection(db.nodes.upsert({ ...good, publicKey: Buffer.alloc(16).toString('base64') }), InvalidInputError);
        expect(await db.nodes.list()).to.deep.equal([]);
      });
    });

    describe('failures', () => {
      it('reports a database that is down as DatabaseUnavailableError, never as no such user', async () => {
        const timeoutMs = 1500;
        const db = harness.unreachable(timeoutMs);
        try {
          const started = Date.now();
          const err = await expectRejection(db.users.lookup('alice'), DatabaseUnavailableError);
          expect(err.code).to.equal('EDBUNAVAIL');
          expect(Date.now() - started).to.be.below(timeoutMs * 3);
          await expectRejection(db.users.list(), DatabaseUnavailableError);
          await expectRejection(db.users.create({ login: 'x' }), DatabaseUnavailableError);
          await expectRejection(db.users.update('x', 1, {}), DatabaseUnavailableError);
          await expectRejection(db.nodes.get('n'), DatabaseUnavailableError);
          await expectRejection(db.migrate(), DatabaseUnavailableError);
        } finally {
          await db.close();
        }
      });

      if (harness.silent) {
        const silent = harness.silent.bind(harness);
        it('times out on a server that accepts but never answers', async () => {
          const server = await listenLoopback(() => undefined);
          const timeoutMs = 400;
          const db = silent(server.port, timeoutMs);
          try {
            const started = Date.now();
            await expectRejection(db.users.lookup('alice'), DatabaseUnavailableError);
            expect(Date.now() - started).to.be.below(timeoutMs * 4);
          } finally {
            await server.close();
            await db.close();
          }
        });
      }

      it('refuses every call after close()', async () => {
        const db = await open();
        await db.users.create({ login: 'alice' });
        await db.close();
        await expectRejection(db.users.lookup('alice'), DatabaseUnavailableError);
        await db.close(); // idempotent
      });

      it('reports a bad row as InvalidDataError naming the user and the column', async () => {
        const db = await open();
        await db.users.create({ login: 'carol', uid: 1000 });
        const k = await db.knexInstance();
        await k(db.tables.users).where('login_key', 'carol').update({ uid: -5 });
        const err = await expectRejection(db.users.lookup('carol'), InvalidDataError);
        expect(err.message).to.contain('"carol"').and.contain('uid');
        await expectRejection(db.users.list(), InvalidDataError);
        await k(db.tables.users).where('login_key', 'carol').update({ uid: 1000, home: 'relative' });
        expect((await expectRejection(db.users.lookup('carol'), InvalidDataError)).message).to.contain('home');
      });
    });
  });
}
