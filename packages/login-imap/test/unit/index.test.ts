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
} from '@pigeondeliver/core';
import { FakeBackend, FakeBackendRegistry } from '@pigeondeliver/test-fixtures/fake-backend';
import { MemoryUserRepository } from '@pigeondeliver/test-fixtures/fake-authenticator';
import { ImapLoginService, ImapProxyDialect } from '@pigeondeliver/login-imap';

describe('login-imap plugin', () => {
  it('loads through the real loader by short name and registers its services', async () => {
    const manifest = await loadPlugin('login-imap', 'login', defaultPluginSearch());
    expect(manifest).to.include({ kind: 'login', name: 'login-imap' });
    expect(manifest.optionPrefixes).to.include.members(['imap_', 'tls_', 'sasl_']);
    const keys = manifest.options!.map((o) => o.key);
    expect(keys).to.include.members(['imap_greeting', 'sasl_mechanisms', 'tls_cert', 'plaintext_auth_without_tls']);
    const options = validateOptions(
      [{ key: 'imap_greeting', value: 'Hello', source: 'command line' }, { key: 'sasl_mechanisms', value: 'PLAIN SCRAM-SHA-256', source: 'command line' }],
      [...CORE_OPTION_SPECS, ...manifest.options!],
    );
    const c = root.createChildContainer();
    registerValue(c, IOptions, options);
    registerValue(c, ILimits, DEFAULT_LIMITS);
    registerValue(c, ILogger, silentLogger());
    registerValue(c, IUserRepository, new MemoryUserRepository());
    registerValue(c, IBackendRegistry, new FakeBackendRegistry(new FakeBackend('backend-dovecot')));
    await manifest.register(c, options);
    const service = resolve(c, ILoginService);
    expect(service).to.be.instanceOf(ImapLoginService);
    expect(service.protocol).to.equal('imap');
    expect(resolve(c, ILoginService)).to.equal(service);
    expect(resolve(c, IProxyDialect)).to.be.instanceOf(ImapProxyDialect);
    expect(resolve(c, IAuthenticator).storedPassword).to.be.a('function');
  });

  it('refuses an unknown SASL mechanism at startup, naming the key', async () => {
    const manifest = await loadPlugin('login-imap', 'login', defaultPluginSearch());
    const options = validateOptions([{ key: 'sasl_mechanisms', value: 'PLAIN NTLM', source: 'command line' }], [...CORE_OPTION_SPECS, ...manifest.options!]);
    const c = root.createChildContainer();
    registerValue(c, IOptions, options);
    registerValue(c, ILimits, DEFAULT_LIMITS);
    registerValue(c, ILogger, silentLogger());
    registerValue(c, IUserRepository, new MemoryUserRepository());
    registerValue(c, IBackendRegistry, new FakeBackendRegistry(new FakeBackend('backend-dovecot')));
    await manifest.register(c, options);
    expect(() => resolve(c, ILoginService)).to.throw(/sasl_mechanisms.*NTLM/);
  });
});
