import { expect } from 'chai';
import { symlinkSync } from 'node:fs';
import {
  BackendError,
  ConfigError,
  createApplication,
  DEFAULT_LIMITS,
  IBackendRegistry,
  IDatabase,
  ILimits,
  ILogger,
  ILoginService,
  INodeRepository,
  intOption,
  IOptions,
  IUserRepository,
  PluginLoadError,
  PluginLoadFailure,
  readRawOptions,
  resolve,
  silentLogger,
  type ApplicationSettings,
} from '@pigeondeliver/core';
import { createTempDir, type TempDir } from '@pigeondeliver/test-fixtures/temp-dir';
import { captureError } from '../capture-error.js';
import { fakePlugin } from '../fake-plugins.js';

/** What the fake plugins put on the objects they register (beyond the contracts). */
interface FakeLogin {
  readonly greeting: string;
  readonly loadedFrom: string;
}
interface FakeClosable {
  readonly closed: boolean;
}

const LOGIN = `dscm_service=${fakePlugin('valid')}`;
const BACKEND = `backend=${fakePlugin('valid-backend')}`;
const DATABASE = `database=${fakePlugin('valid-db')}`;

describe('run-forker', () => {
  let dir: TempDir;
  let config: string;

  beforeEach(() => {
    dir = createTempDir();
    config = dir.write('pigeondeliver.cf', '# empty\n');
  });
  afterEach(() => dir.remove());

  /** Runs createApplication with the temp config file and a silent logger; `o` are `-o` settings. */
  const app = (o: string[], settings: Partial<ApplicationSettings> = {}) =>
    createApplication({
      argv: o.flatMap((s) => ['-o', s]),
      program: 'pd-test',
      env: { PIGEONDELIVER_CONFIG: config },
      logger: silentLogger(),
      ...settings,
    });

  it('wires login, database and backend plugins into one child container', async () => {
    dir.write('pigeondeliver.cf', 'fake_greeting = hello from the file\nlogin_timeout = 90s\n');
    const a = await app([LOGIN, BACKEND, DATABASE], { login: true });
    expect(a.configFile).to.equal(config);
    expect((a.loginService as unknown as FakeLogin).greeting).to.equal('hello from the file');
    expect(a.limits).to.deep.equal({ ...DEFAULT_LIMITS, loginTimeout: 90_000 });
    expect(resolve(a.container, ILoginService)).to.equal(a.loginService);
    expect(resolve(a.container, IOptions)).to.equal(a.options);
    expect(resolve(a.container, ILimits)).to.equal(a.limits);
    expect(resolve(a.container, ILogger)).to.equal(a.logger);
    const db = resolve(a.container, IDatabase);
    expect(db).to.equal(a.database);
    expect(db.dialect).to.equal('fake');
    expect(resolve(a.container, IUserRepository)).to.equal(db.users);
    expect(resolve(a.container, INodeRepository)).to.equal(db.nodes);
    const backends = resolve(a.container, IBackendRegistry);
    expect(backends.names()).to.deep.equal(['backend-fake']);
    // the default backend was named by path; user rows and the default both find it by its name
    expect(backends.forName(null).name).to.equal('backend-fake');
    expect(backends.forName('').name).to.equal('backend-fake');
    expect(backends.forName('backend-fake')).to.equal(backends.forName(null));
    expect(() => backends.forName('backend-other')).to.throw(BackendError, /backend backend-other is not loaded in this process \(loaded: backend-fake\)/);
    await a.close();
    expect((backends.forName(null) as unknown as FakeClosable).closed).to.equal(true);
    expect((db as unknown as FakeClosable).closed).to.equal(true);
  });

  it('uses a separate child container per application (no global state)', async () => {
    const one = await app([LOGIN, BACKEND], { login: true, database: false });
    const two = await app([LOGIN, BACKEND], { login: true, database: false });
    expect(one.container).to.not.equal(two.container);
    expect(one.loginService).to.not.equal(two.loginService);
  });

  it('lets the command line override the config file', async () => {
    dir.write('pigeondeliver.cf', 'fake_greeting = from the file\n');
    const a = await app([LOGIN, 'fake_greeting=from the command line'], { login: true, database: false, backends: false });
    expect((a.loginService as unknown as FakeLogin).greeting).to.equal('from the command line');
  });

  it('reads -c FILE before the environment variable, and returns the other arguments', async () => {
    const other = dir.write('other.cf', 'fake_greeting = other file\n');
    const a = await createApplication({
      argv: ['-c', other, '-o', LOGIN, '--foreground', 'x'],
      program: 'pd-test',
      env: { PIGEONDELIVER_CONFIG: config },
      logger: silentLogger(),
      login: true,
      database: false,
      backends: false,
    });
    expect(a.configFile).to.equal(other);
    expect(a.rest).to.deep.equal(['--foreground', 'x']);
    expect((a.loginService as unknown as FakeLogin).greeting).to.equal('other file');
  });

  it('requires dscm_service when a login service is wanted', async () => {
    const e = await captureError(() => app([], { login: true, database: false }));
    expect(e).to.be.instanceOf(ConfigError);
    expect((e as ConfigError).key).to.equal('dscm_service');
    expect(e.message).to.contain('-o dscm_service=login-imap');
  });

  it('loads nothing it was not asked for', async () => {
    const a = await app([], { database: false });
    expect(a.loginService).to.equal(undefined);
    expect(a.database).to.equal(undefined);
    expect(a.backends).to.equal(undefined);
    await a.close();
  });

  it('validates the caller\'s extra options with the rest', async () => {
    const workers = intOption('listen_workers', 'worker processes', 2, { min: 1 });
    const a = await app(['listen_workers=4'], { database: false, extraOptions: [workers] });
    expect(a.options.get(workers)).to.equal(4);
    const e = await captureError(() => app(['listen_workers=0'], { database: false, extraOptions: [workers] }));
    expect(e).to.be.instanceOf(ConfigError);
    expect(e.message).to.equal('bad value for listen_workers (from command line): must be at least 1, got 0');
  });

  describe('option validation against the loaded plugins', () => {
    it('refuses an unknown key of a loaded plugin, with "did you mean"', async () => {
      const e = await captureError(() => app([LOGIN, 'fake_greting=x'], { login: true, database: false, backends: false }));
      expect(e).to.be.instanceOf(ConfigError);
      expect(e.message).to.equal('unknown option fake_greting (from command line) (did you mean "fake_greeting"?)');
    });

    it('refuses a bad value of a plugin option, naming the key and file:line', async () => {
      dir.write('pigeondeliver.cf', `# greeting\nfake_greeting = ${'x'.repeat(41)}\n`);
      const e = await captureError(() => app([LOGIN], { login: true, database: false, backends: false }));
      expect(e).to.be.instanceOf(ConfigError);
      expect(e.message).to.equal(`bad value for fake_greeting (from ${config}:2): at most 40 characters, got 41`);
    });

    it('refuses a key of the plugin\'s own prefix that it does not declare, even from the file', async () => {
      dir.write('pigeondeliver.cf', 'fake_colour = blue\n');
      const e = await captureError(() => app([LOGIN], { login: true, database: false, backends: false }));
      expect(e.message).to.equal(`unknown option fake_colour (from ${config}:1)`);
    });

    it('allows other services\' keys in the shared file, but not on the command line', async () => {
      dir.write('pigeondeliver.cf', 'pop3_greeting = hi\nimap_capability = IMAP4rev1\ndovecot_path = /usr\n');
      const a = await app([LOGIN], { login: true, database: false, backends: false });
      expect(a.options.rawValue('pop3_greeting')).to.equal('hi');
      const e = await captureError(() => app([LOGIN, 'pop3_greeting=hi'], { login: true, database: false, backends: false }));
      expect(e.message).to.equal('unknown option pop3_greeting (from command line)');
    });

    it('refuses an unknown key that no plugin owns, from the file', async () => {
      dir.write('pigeondeliver.cf', 'dscm_servce = login-imap\n');
      const e = await captureError(() => app([], { database: false }));
      expect(e.message).to.equal(`unknown option dscm_servce (from ${config}:1) (did you mean "dscm_service"?)`);
    });
  });

  describe('plugin failures stop startup', () => {
    const loginError = async (o: string[]) => {
      const e = await captureError(() => app(o, { login: true, database: false, backends: false }));
      expect(e).to.be.instanceOf(PluginLoadError);
      return e as PluginLoadError;
    };

    it('wrong kind', async () => {
      expect((await loginError([`dscm_service=${fakePlugin('wrong-kind')}`])).failure).to.equal(PluginLoadFailure.WrongKind);
    });

    it('bad API version', async () => {
      expect((await loginError([`dscm_service=${fakePlugin('bad-api-version')}`])).failure).to.equal(PluginLoadFailure.UnsupportedApiVersion);
    });

    it('missing own dependency', async () => {
      expect((await loginError([`dscm_service=${fakePlugin('missing-own-dependency')}`])).failure).to.equal(PluginLoadFailure.DependencyMissing);
    });

    it('not a manifest', async () => {
      expect((await loginError([`dscm_service=${fakePlugin('not-a-manifest')}`])).failure).to.equal(PluginLoadFailure.BadManifest);
    });

    it('register() throws: RegisterFailed with the plugin\'s message and the cause', async () => {
      const e = await loginError([`dscm_service=${fakePlugin('throws-in-register')}`]);
      expect(e.failure).to.equal(PluginLoadFailure.RegisterFailed);
      expect(e.pluginName).to.equal('login-throws');
      expect(e.message).to.equal('login plugin login-throws failed in register(): fake failure inside register()');
      expect((e.cause as Error).message).to.equal('fake failure inside register()');
    });

    it('register() forgets its service: RegisterFailed naming the token', async () => {
      const e = await loginError([`dscm_service=${fakePlugin('registers-nothing')}`]);
      expect(e.failure).to.equal(PluginLoadFailure.RegisterFailed);
      expect(e.message).to.match(/^login plugin login-registers-nothing did not register a usable ILoginService: /);
    });

    it('a backend that is not installed, with the npm install to run', async () => {
      const e = await captureError(() => app([LOGIN, 'backend=backend-nope'], { login: true, database: false }));
      expect(e).to.be.instanceOf(PluginLoadError);
      expect((e as PluginLoadError).failure).to.equal(PluginLoadFailure.NotInstalled);
      expect(e.message).to.match(/^backend plugin backend-nope is not installed \(looked for @pigeondeliver\/backend-nope from .*\)\n {2}install it with: npm install @pigeondeliver\/backend-nope$/);
    });

    it('a database plugin of the wrong kind', async () => {
      const e = await captureError(() => app([`database=${fakePlugin('valid')}`]));
      expect((e as PluginLoadError).failure).to.equal(PluginLoadFailure.WrongKind);
      expect(e.message).to.contain('is a login plugin, but it was named where a db plugin is expected');
    });
  });

  describe('finding plugins by name', () => {
    it('from plugin_path folders', async () => {
      const a = await app(['dscm_service=@acme/pd-login-x', `plugin_path=/nonexistent, ${fakePlugin('scoped-project')}`], {
        login: true,
        database: false,
        backends: false,
      });
      expect(a.loginService!.protocol).to.equal('pop3');
      expect((a.loginService as unknown as FakeLogin).loadedFrom).to.contain('/scoped-project/node_modules/@acme/pd-login-x/');
    });

    it('from the config file\'s folder', async () => {
      symlinkSync(fakePlugin('scoped-project/node_modules'), dir.join('node_modules'));
      dir.write('pigeondeliver.cf', 'dscm_service = @acme/pd-login-x\n');
      const a = await app([], { login: true, database: false, backends: false });
      expect(a.loginService!.protocol).to.equal('pop3');
    });

    it('names plugin_path in the not-installed message', async () => {
      const e = await captureError(() => app(['dscm_service=login-nope', 'plugin_path=/srv/pd-plugins'], { login: true, database: false }));
      expect(e.message).to.contain('looked for @pigeondeliver/login-nope from /srv/pd-plugins, ');
    });
  });

  describe('readRawOptions', () => {
    it('puts file entries first and command-line entries last', () => {
      dir.write('pigeondeliver.cf', 'a = 1\n');
      const r = readRawOptions(['-o', 'a=2', 'rest'], { PIGEONDELIVER_CONFIG: config });
      expect(r.raw).to.deep.equal([
        { key: 'a', value: '1', source: `${config}:1` },
        { key: 'a', value: '2', source: 'command line' },
      ]);
      expect(r.rest).to.deep.equal(['rest']);
      expect(r.configFile).to.equal(config);
    });

    it('fails when the named config file is missing (-c or the environment variable)', async () => {
      const missing = dir.join('missing.cf');
      const e1 = await captureError(() => readRawOptions(['-c', missing], {}));
      expect(e1).to.be.instanceOf(ConfigError);
      expect(e1.message).to.equal(`cannot read config file ${missing}: no such file`);
      const e2 = await captureError(() => readRawOptions([], { PIGEONDELIVER_CONFIG: missing }));
      expect(e2.message).to.equal(`cannot read config file ${missing}: no such file`);
    });

    it('treats an empty environment variable as unset', () => {
      const r = readRawOptions(['-c', config], { PIGEONDELIVER_CONFIG: '' });
      expect(r.configFile).to.equal(config);
    });
  });
});
