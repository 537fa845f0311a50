import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendError, dropPrivileges, withPrivileges } from '@pigeondeliver/core';
import { FAKE_IMAPD } from '@pigeondeliver/test-fixtures/fake-binaries';

const isRoot = process.getuid?.() === 0;

describe('privileges (dropPrivileges / withPrivileges)', function () {
  it('drops the effective uid, regains it only inside withPrivileges, and clears supplementary groups', async function () {
    if (!isRoot) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'pd-priv-'));
    const secret = join(dir, 'root-only');
    writeFileSync(secret, 'x', { mode: 0o600 });
    const core = import.meta.resolve('@pigeondeliver/core');
    // In a child process: switching ids in the mocha process would disturb the other tests.
    const script = `
      import { readFileSync } from 'node:fs';
      const { dropPrivileges, withPrivileges, privilegesDropped } = await import(${JSON.stringify(core)});
      const canRead = () => { try { readFileSync(${JSON.stringify(secret)}); return true; } catch { return false; } };
      dropPrivileges(12345, 12346);
      const out = { euid: process.geteuid(), egid: process.getegid(), groups: process.getgroups(), dropped: privilegesDropped(), readDropped: canRead() };
      out.inside = withPrivileges(() => ({ euid: process.geteuid(), read: canRead(), dropped: privilegesDropped() }));
      out.after = { euid: process.geteuid(), read: canRead() };
      try { withPrivileges(() => { throw new Error('boom'); }); } catch {}
      out.afterThrow = process.geteuid();
      console.log(JSON.stringify(out));`;
    try {
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['--input-type=module', '-e', script], (err, so, se) => (err ? reject(new Error(se || err.message)) : resolve(so))),
      );
      const out = JSON.parse(stdout) as Record<string, unknown>;
      expect(out).to.deep.equal({
        euid: 12345, egid: 12346, groups: [12346], dropped: true, readDropped: false,
        inside: { euid: 0, read: true, dropped: false },
        after: { euid: 12345, read: false },
        afterThrow: 12345,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a process that dropped privileges still creates the home and starts the backend as the user', async function () {
    if (!isRoot) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'pd-priv-'));
    chmodSync(dir, 0o755);
    const core = import.meta.resolve('@pigeondeliver/core');
    const script = `
      import { createConnection, createServer } from 'node:net';
      import { statSync } from 'node:fs';
      const c = await import(${JSON.stringify(core)});
      const home = ${JSON.stringify(join(dir, 'u1'))};
      const launcher = new c.LocalSessionLauncher(c.validateOptions([{ key: 'home_roots', value: ${JSON.stringify(dir)}, source: 't' }], c.CORE_OPTION_SPECS), c.DEFAULT_LIMITS, c.silentLogger());
      const srv = createServer();
      await new Promise((r) => srv.listen(0, '127.0.0.1', r));
      c.dropPrivileges(65534, 65534);
      const acc = new Promise((r) => srv.once('connection', r));
      const client = createConnection(srv.address().port, '127.0.0.1');
      const server = await acc;
      let got = '';
      client.on('data', (d) => (got += d));
      await launcher.launch({ sessionId: 's', command: ${JSON.stringify(FAKE_IMAPD)}, args: [], env: { HOME: home, IMAPLOGINTAG: 'a1', PATH: '/usr/bin:/bin' },
        cwd: home, uid: 12345, gid: 12345, home: { path: home, maildir: 'Maildir' }, stderr: 'ignore', label: 'fake' }, server);
      const euid = process.geteuid();
      client.write('x LOGOUT\\r\\n');
      await new Promise((r) => client.once('close', r));
      const st = statSync(home);
      console.log(JSON.stringify({ euid, got, mode: st.mode & 0o777, owner: st.uid }));
      process.exit(0);`;
    try {
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['--input-type=module', '-e', script], (err, so, se) => (err ? reject(new Error(se || err.message)) : resolve(so))),
      );
      expect(JSON.parse(stdout)).to.deep.equal({ euid: 65534, got: 'a1 OK fake-imapd logged in\r\n* BYE fake-imapd\r\n', mode: 0o700, owner: 12345 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses uid 0 as a target and, without root, any other uid', function () {
    expect(() => dropPrivileges(0, 0)).to.throw(BackendError);
    if (!isRoot) expect(() => dropPrivileges(process.getuid!() + 1, 1)).to.throw(BackendError);
  });

  it('withPrivileges just runs the function when nothing was dropped', function () {
    expect(withPrivileges(() => 42)).to.equal(42);
  });
});
