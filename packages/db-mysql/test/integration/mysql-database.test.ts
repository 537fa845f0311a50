import { describeUserRepository, closedPort } from '@pigeondeliver/test-fixtures/user-repository-suite';
import { createMysqlDatabase, openMysqlDatabase } from '@pigeondeliver/db-mysql';

/** The server the tests use; override with PD_TEST_MYSQL_URL. */
const url = process.env['PD_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
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
  name: 'MariaDB (MySQL) @integration',
  async available() {
    try {
      const db = await openMysqlDatabase(url, { timeoutMs: 3000 });
      await db.close();
      return true;
    } catch (e) {
      return `cannot reach ${url} (set PD_TEST_MYSQL_URL): ${(e as Error).message}`;
    }
  },
  open: (s) =>
    openMysqlDatabase(url, { tablePrefix: s.tablePrefix, loginCaseInsensitive: s.loginCaseInsensitive, autoMigrate: s.autoMigrate ?? true }),
  sharedStore: true,
  unreachable: (timeoutMs) => createMysqlDatabase(at(downPort), { timeoutMs }),
  silent: (port, timeoutMs) => createMysqlDatabase(at(port), { timeoutMs }),
});
