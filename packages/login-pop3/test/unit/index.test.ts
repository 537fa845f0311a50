import { expect } from 'chai';
import { container as root } from 'tsyringe';
import {
  CORE_OPTION_SPECS,
  DEFAULT_LIMITS,
  IAuthenticator,
  IBackendRegistry,
  ILimits,
  ILogger,
  ILoginService,
  IOptions,
  IProxyDialect,
  IUserRepository,
  defaultPluginSearch,
  loadPlugin,
  registerValue,
  resolve,
  silentLogger,
  validateOptions,
  type PluginManifest,
  type RawOption,
} from '@pigeondeliver/core';
import { FakeBackend, FakeBackendRegistry } from '@pigeondeliver/test-fixtures/fake-backend';
import { MemoryUserRepository } from '@pigeondeliver/test-fixtures/fake-authenticator';
import { createStreamPair } from '@pigeondeliver/test-fixtures/stream-pair';
import { Pop3LoginService, Pop3ProxyDialect } from '@pigeondeliver/login-pop3';

function container(manifest: PluginManifest, raw: RawOption[]): ReturnType<typeof root.createChildContainer> {
  const options = validateOptions(raw, [...CORE_OPTION_SPECS, ...manifest.options!]);
  const c = root.createChildContainer();
  registerValue(c, IOptions, options);
  registerValue(c, ILimits, DEFAULT_LIMITS);
  registerValue(c, ILogger, silentLogger());
  registerValue(c, IUserRepository, new MemoryUserRepository());
  registerValue(c, IBackendRegistry, new FakeBackendRegistry(new FakeBackend('backend-dovecot')));
  void manifest.register(c, options);
  return c;
}

describe('login-pop3 plugin', () => {
  it('loads through the real loader by short name and registers its services', async () => {
    const manifest = await loadPlugin('login-pop3', 'login', defaultPluginSearch());
    expect(manifest).to.include({ kind: 'login', name: 'login-pop3' });
    expect(manifest.optionPrefixes).to.include.members(['pop3_', 'tls_', 'sasl_']);
    const keys = manifest.options!.map((o) => o.key);
    expect(keys).to.include.members(['pop3_greeting', 'pop3_apop', 'pop3_implementation', 'sasl_mechanisms', 'tls_cert', 'plaintext_auth_without_tls']);
    const c = container(manifest, [
      { key: 'pop3_greeting', value: 'Hello', source: 'command line' },
      { key: 'pop3_apop', value: 'yes', source: 'command line' },
    ]);
    const service = resolve(c, ILoginService);
    expect(service).to.be.instanceOf(Pop3LoginService);
    expect(service.protocol).to.equal('pop3');
    expect(resolve(c, ILoginService)).to.equal(service);
    expect(resolve(c, IProxyDialect)).to.be.instanceOf(Pop3ProxyDialect);
    expect(resolve(c, IProxyDialect).protocol).to.equal('pop3');
    expect(resolve(c, IAuthenticator).storedPassword).to.be.a('function');
    const pair = createStreamPair();
    void service.handle(pair.connection);
    expect(await pair.waitFor(/\r\n/)).to.match(/^\+OK Hello ready\. <\d+\.[0-9a-f]+@[^>]+>\r\n$/);
    pair.client.end();
  });

  it('refuses bad option values at startup, naming the key', async () => {
    const manifest = await loadPlugin('login-pop3', 'login', defaultPluginSearch());
    expect(() => validateOptions([{ key: 'pop3_apop', value: 'maybe', source: 'command line' }], [...CORE_OPTION_SPECS, ...manifest.options!])).to.throw(
      /pop3_apop/,
    );
    const c = container(manifest, [{ key: 'sasl_mechanisms', value: 'PLAIN NTLM', source: 'command line' }]);
    expect(() => resolve(c, ILoginService)).to.throw(/sasl_mechanisms.*NTLM/);
  });
});
