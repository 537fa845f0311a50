import { expect } from 'chai';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultPluginSearch,
  ILoginService,
  loadPlugin,
  normalizePluginName,
  PLUGIN_API_VERSION,
  PluginLoadError,
  PluginLoadFailure,
  pluginVersion,
  resolve,
  validateOptions,
  type PluginKind,
} from '@pigeondeliver/core';
// After core: core loads the Reflect polyfill that tsyringe needs when it is first evaluated.
import { container as rootContainer } from 'tsyringe';
import { createTempDir } from '@pigeondeliver/test-fixtures/temp-dir';
import { captureError } from '../capture-error.js';
import { FAKE_PLUGINS, fakePlugin } from '../fake-plugins.js';

const project = fakePlugin('scoped-project');

async function loadError(name: string, kind: PluginKind = 'login', from: readonly string[] = [project]): Promise<PluginLoadError> {
  const e = await captureError(() => loadPlugin(name, kind, { from, cwd: FAKE_PLUGINS }));
  expect(e).to.be.instanceOf(PluginLoadError);
  return e as PluginLoadError;
}

describe('plugin-loader', () => {
  describe('normalizePluginName', () => {
    it('maps a short name to the @pigeondeliver scope', () => {
      expect(normalizePluginName('login-imap')).to.deep.equal({ specifier: '@pigeondeliver/login-imap', isPath: false });
      expect(normalizePluginName('  db-sqlite ')).to.deep.equal({ specifier: '@pigeondeliver/db-sqlite', isPath: false });
    });
    it('keeps a scoped name as given', () => {
      expect(normalizePluginName('@acme/pd-login-x')).to.deep.equal({ specifier: '@acme/pd-login-x', isPath: false });
      expect(normalizePluginName('@pigeondeliver/login-pop3')).to.deep.equal({ specifier: '@pigeondeliver/login-pop3', isPath: false });
    });
    it('resolves paths against cwd', () => {
      expect(normalizePluginName('./plugins/x', '/srv')).to.deep.equal({ specifier: '/srv/plugins/x', isPath: true });
      expect(normalizePluginName('../x', '/srv/a')).to.deep.equal({ specifier: '/srv/x', isPath: true });
      expect(normalizePluginName('/opt/x', '/srv')).to.deep.equal({ specifier: '/opt/x', isPath: true });
    });
  });

  describe('defaultPluginSearch', () => {
    it('looks in plugin_path folders, the config folder, cwd, then the program and core install, without repeats', () => {
      const search = defaultPluginSearch(['/opt/plugins', process.cwd()], '/etc/pigeondeliver/pigeondeliver.cf');
      expect(search.from.slice(0, 3)).to.deep.equal(['/opt/plugins', process.cwd(), '/etc/pigeondeliver']);
      expect(search.from.at(-1)).to.equal(join(dirname(fileURLToPath(import.meta.resolve('@pigeondeliver/core')))));
      expect(new Set(search.from).size).to.equal(search.from.length);
      expect(search.cwd).to.equal(process.cwd());
    });
  });

  describe('loadPlugin', () => {
    it('loads a valid plugin folder by path and returns its manifest', async () => {
      const m = await loadPlugin(fakePlugin('valid'), 'login', { from: [] });
      expect(m).to.include({ apiVersion: PLUGIN_API_VERSION, kind: 'login', name: 'login-fake' });
      expect(m.optionPrefixes).to.deep.equal(['fake_']);
      const c = rootContainer.createChildContainer();
      await m.register(c, validateOptions([], m.options ?? []));
      const service = resolve(c, ILoginService);
      expect(service.protocol).to.equal('imap');
    });

    it('loads a relative path against the search cwd', async () => {
      const m = await loadPlugin('./valid', 'login', { from: [], cwd: FAKE_PLUGINS });
      expect(m.name).to.equal('login-fake');
    });

    it('loads a scoped third-party plugin by its name from a project folder', async () => {
      const m = await loadPlugin('@acme/pd-login-x', 'login', { from: ['/nonexistent-first', project] });
      expect(m.name).to.equal('pd-login-x');
    });

    it('NotInstalled: says what, where it looked and the npm install to run', async () => {
      const e = await loadError('login-nope', 'login', ['/srv/deploy', project]);
      expect(e.failure).to.equal(PluginLoadFailure.NotInstalled);
      expect(e.pluginName).to.equal('login-nope');
      expect(e.code).to.equal('EPLUGIN');
      expect(e.message).to.equal(
        `login plugin login-nope is not installed (looked for @pigeondeliver/login-nope from /srv/deploy, ${project})\n` +
          '  install it with: npm install @pigeondeliver/login-nope',
      );
      const scoped = await loadError('@acme/other', 'backend', ['/srv/deploy']);
      expect(scoped.failure).to.equal(PluginLoadFailure.NotInstalled);
      expect(scoped.message).to.match(/^backend plugin @acme\/other is not installed .*\n {2}install it with: npm install @acme\/other$/);
    });

    it('NotInstalled: a scoped plugin is not found outside its project', async () => {
      const e = await loadError('@acme/pd-login-x', 'login', [FAKE_PLUGINS]);
      expect(e.failure).to.equal(PluginLoadFailure.NotInstalled);
      expect(e.message).to.contain(`from ${FAKE_PLUGINS}`).and.contain('npm install @acme/pd-login-x');
    });

    it('NotInstalled: an empty name asks for the option', async () => {
      const e = await loadError('');
      expect(e.failure).to.equal(PluginLoadFailure.NotInstalled);
      expect(e.message).to.equal('no login plugin named: set the option that selects it');
    });

    it('NotInstalled: a path that is not a package folder', async () => {
      const missing = join(FAKE_PLUGINS, 'no-such-folder');
      const e = await loadError(missing);
      expect(e.failure).to.equal(PluginLoadFailure.NotInstalled);
      expect(e.message).to.equal(`plugin ${missing}: ${missing} is not a package folder (no package.json)`);
    });

    it('DependencyMissing: names the missing package, the plugin file and what to run', async () => {
      const folder = fakePlugin('missing-own-dependency');
      const e = await loadError(folder);
      expect(e.failure).to.equal(PluginLoadFailure.DependencyMissing);
      expect(e.message).to.contain(`plugin ${folder} (${join(folder, 'index.js')}) is installed but its dependency pd-fake-dependency-that-does-not-exist is not installed`);
      expect(e.message).to.match(new RegExp(`\\n {2}install its dependencies with: cd ${folder} && npm install$`));
      expect(e.cause).to.be.instanceOf(Error);
    });

    it('DependencyMissing: an installed package whose entry point is missing (not built)', async () => {
      const e = await loadError('login-unbuilt');
      expect(e.failure).to.equal(PluginLoadFailure.DependencyMissing);
      expect(e.message).to.contain(`installed in ${join(project, 'node_modules', '@pigeondeliver', 'login-unbuilt')}`);
      expect(e.message).to.contain('dist/index.js');
      expect(e.message).to.match(/\n {2}reinstall it with: npm install @pigeondeliver\/login-unbuilt$/);
    });

    it('WrongKind: a backend named where a login service is expected', async () => {
      const e = await loadError(fakePlugin('wrong-kind'));
      expect(e.failure).to.equal(PluginLoadFailure.WrongKind);
      expect(e.message).to.contain('is a backend plugin, but it was named where a login plugin is expected');
      const ok = await loadPlugin(fakePlugin('wrong-kind'), 'backend', { from: [] });
      expect(ok.kind).to.equal('backend');
    });

    it('WrongName: a @pigeondeliver package whose manifest calls itself something else', async () => {
      const e = await loadError('login-misnamed');
      expect(e.failure).to.equal(PluginLoadFailure.WrongName);
      expect(e.message).to.contain('calls itself "login-other", expected "login-misnamed"');
      const full = await loadError('@pigeondeliver/login-misnamed');
      expect(full.failure).to.equal(PluginLoadFailure.WrongName);
    });

    it('UnsupportedApiVersion: says which version each side speaks', async () => {
      const e = await loadError(fakePlugin('bad-api-version'));
      expect(e.failure).to.equal(PluginLoadFailure.UnsupportedApiVersion);
      expect(e.message).to.contain(`speaks plugin API version 99, this core speaks ${PLUGIN_API_VERSION}`);
    });

    it('BadManifest: a default export that is not a manifest', async () => {
      const e = await loadError(fakePlugin('not-a-manifest'));
      expect(e.failure).to.equal(PluginLoadFailure.BadManifest);
      expect(e.message).to.contain(`(${join(fakePlugin('not-a-manifest'), 'index.js')}) does not default-export a plugin manifest`);
    });

    it('BadManifest: no apiVersion, no register(), or an error while importing', async () => {
      const dir = createTempDir();
      const plugin = (folder: string, source: string): string => {
        dir.write(`${folder}/package.json`, JSON.stringify({ name: folder, type: 'module', main: 'index.js' }));
        dir.write(`${folder}/index.js`, source);
        return dir.join(folder);
      };
      const noApi = await loadError(plugin('no-api', "export default { kind: 'login', name: 'x', register() {} };"));
      expect(noApi.failure).to.equal(PluginLoadFailure.BadManifest);
      expect(noApi.message).to.contain('has no apiVersion in its manifest');
      const noRegister = await loadError(plugin('no-register', "export default { apiVersion: 1, kind: 'login', name: 'x' };"));
      expect(noRegister.failure).to.equal(PluginLoadFailure.BadManifest);
      expect(noRegister.message).to.contain('has no register() function');
      const throws = await loadError(plugin('throws-on-import', "throw new Error('top-level failure');"));
      expect(throws.failure).to.equal(PluginLoadFailure.BadManifest);
      expect(throws.message).to.contain('failed while loading: top-level failure');
      const syntax = await loadError(plugin('syntax-error', 'export default {'));
      expect(syntax.failure).to.equal(PluginLoadFailure.BadManifest);
      dir.remove();
    });

    it('does not run register(): a plugin that throws in register() still loads', async () => {
      const m = await loadPlugin(fakePlugin('throws-in-register'), 'login', { from: [] });
      expect(m.name).to.equal('login-throws');
    });
  });

  describe('pluginVersion', () => {
    it('reads the version from the package.json above the entry', () => {
      expect(pluginVersion(join(fakePlugin('valid'), 'index.js'))).to.equal('1.0.0');
      expect(pluginVersion('/nonexistent/a/b/c/d/e/f/g.js')).to.equal(undefined);
    });
  });
});
