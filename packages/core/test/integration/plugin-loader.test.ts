import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createApplication,
  ILoginService,
  loadPlugin,
  PluginLoadError,
  PluginLoadFailure,
  resolve,
  silentLogger,
  validateOptions,
  type PluginManifest,
} from '@pigeondeliver/core';
// After core: core loads the Reflect polyfill that tsyringe needs when it is first evaluated.
import { container as rootContainer } from 'tsyringe';
import { createTempDir, type TempDir } from '@pigeondeliver/test-fixtures/temp-dir';
import { captureError } from '../capture-error.js';
import { fakePlugin } from '../fake-plugins.js';

const run = promisify(execFile);

/** npm without the npm_* variables of an enclosing `npm test` (they would point it at the monorepo). */
async function npm(args: string[], cwd: string): Promise<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const { stdout } = await run('npm', args, { cwd, env, timeout: 60_000 });
  return stdout;
}

/** Packs a plugin folder into `dest`; returns the tarball's path. */
async function pack(folder: string, dest: string): Promise<string> {
  const out = JSON.parse(await npm(['pack', folder, '--pack-destination', dest, '--json', '--silent'], dest)) as { filename: string }[];
  return join(dest, out[0]!.filename);
}

/** Registers the manifest into a fresh child container and returns where the service's code was loaded from. */
async function loadedFrom(manifest: PluginManifest): Promise<string> {
  const c = rootContainer.createChildContainer();
  await manifest.register(c, validateOptions([], manifest.options ?? []));
  return (resolve(c, ILoginService) as unknown as { loadedFrom: string }).loadedFrom;
}

describe('plugin-loader: a packed plugin installed into a project @integration', function () {
  this.timeout(120_000);
  let dir: TempDir;
  let project: string;
  let other: string;

  before(async function () {
    try {
      await npm(['--version'], process.cwd());
    } catch (e) {
      if (process.env.CI === 'true') throw new Error(`npm is required for this test in CI: ${(e as Error).message}`);
      console.warn(`    skipped: npm is not runnable here (${(e as Error).message})`);
      this.skip();
    }
    dir = createTempDir('pd-plugin-pack-');
    const packs = dir.mkdir('packs');
    // A second package made from the same plugin, named like a real workspace plugin (login-imap):
    // installed in the project, it must win over the copy the program itself is installed with.
    const imapCopy = dir.join('login-imap-copy');
    cpSync(fakePlugin('valid'), imapCopy, { recursive: true });
    const pkg = JSON.parse(readFileSync(join(imapCopy, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(imapCopy, 'package.json'), JSON.stringify({ ...pkg, name: '@pigeondeliver/login-imap', version: '9.9.9' }));
    writeFileSync(join(imapCopy, 'index.js'), readFileSync(join(imapCopy, 'index.js'), 'utf8').replace("name: 'login-fake'", "name: 'login-imap'"));

    const tarballs = [await pack(fakePlugin('valid'), packs), await pack(imapCopy, packs)];
    project = dir.mkdir('project');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pd-deployment', version: '1.0.0', private: true }));
    await npm(['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], project);

    // Another location holding its own copy of login-fake (a plain node_modules layout).
    other = dir.mkdir('other');
    cpSync(fakePlugin('valid'), join(other, 'node_modules', '@pigeondeliver', 'login-fake'), { recursive: true });
  });

  after(() => dir?.remove());

  it('installed the tarball as a real package (no symlink to the fixture)', () => {
    const installed = join(project, 'node_modules', '@pigeondeliver', 'login-fake', 'package.json');
    expect(JSON.parse(readFileSync(installed, 'utf8'))).to.include({ name: '@pigeondeliver/login-fake', version: '1.0.0' });
  });

  it('loads it by name from the project, and the first location searched wins', async () => {
    const fromProject = await loadPlugin('login-fake', 'login', { from: [project, other] });
    expect(fromProject.name).to.equal('login-fake');
    expect(await loadedFrom(fromProject)).to.contain(`${project}/node_modules/@pigeondeliver/login-fake/`);
    const fromOther = await loadPlugin('login-fake', 'login', { from: [other, project] });
    expect(await loadedFrom(fromOther)).to.contain(`${other}/node_modules/@pigeondeliver/login-fake/`);
  });

  it('loads it through createApplication with plugin_path', async () => {
    const app = await createApplication({
      argv: ['-c', dir.write('pd.cf', 'fake_greeting = packed\n'), '-o', 'dscm_service=login-fake', '-o', `plugin_path=${project} ${other}`],
      program: 'pd-test',
      env: {},
      logger: silentLogger(),
      login: true,
      database: false,
      backends: false,
    });
    const service = app.loginService as unknown as { greeting: string; loadedFrom: string };
    expect(service.greeting).to.equal('packed');
    expect(service.loadedFrom).to.contain(`${project}/node_modules/@pigeondeliver/login-fake/`);
  });

  it('loads it from the working directory, where the project copy wins over the program\'s own install', async () => {
    const cwd = process.cwd();
    process.chdir(project);
    try {
      const app = await createApplication({
        argv: ['-c', dir.write('empty.cf', ''), '-o', 'dscm_service=login-imap'],
        program: 'pd-test',
        env: {},
        logger: silentLogger(),
        login: true,
        database: false,
        backends: false,
      });
      expect((app.loginService as unknown as { loadedFrom: string }).loadedFrom).to.contain(`${project}/node_modules/@pigeondeliver/login-imap/`);
    } finally {
      process.chdir(cwd);
    }
  });

  it('is not found from elsewhere, and the message says where it looked and what to install', async () => {
    const e = await captureError(() => loadPlugin('login-fake', 'login', { from: [dir.path] }));
    expect(e).to.be.instanceOf(PluginLoadError);
    expect((e as PluginLoadError).failure).to.equal(PluginLoadFailure.NotInstalled);
    expect(e.message).to.equal(
      `login plugin login-fake is not installed (looked for @pigeondeliver/login-fake from ${dir.path})\n  install it with: npm install @pigeondeliver/login-fake`,
    );
  });
});
