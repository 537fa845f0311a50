import { describeUserRepository, closedPort } from '@pigeondeliver/test-fixtures/user-repository-suite';
import { createPostgresDatabase, openPostgresDatabase } from '@pigeondeliver/db-postgres';

/** The server the tests use; override with PD_TEST_POSTGRES_URL. */
const url = process.env['PD_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const at = (port: number) => {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
};

let downPort = 1;
before(async () => {
  downPort = await closedPort();
});

describeUserRepository({
  name: 'PostgreSQL @integration',
  async available() {
    try {
      const db = await openPostgresDatabase(url, { timeoutMs: 3000 });
      await db.close();
      return true;
    } catch (e) {
      return `cannot reach ${url} (set PD_TEST_POSTGRES_URL): ${(e as Error).message}`;
    }
  },
  open: (s) =>
    openPostgresDatabase(url, { tablePrefix: s.tablePrefix, loginCaseInsensitive: s.loginCaseInsensitive, autoMigrate: s.autoMigrate ?? true }),
  sharedStore: true,
  unreachable: (timeoutMs) => createPostgresDatabase(at(downPort), { timeoutMs }),
  silent: (port, timeoutMs) => createPostgresDatabase(at(port), { timeoutMs }),
});
