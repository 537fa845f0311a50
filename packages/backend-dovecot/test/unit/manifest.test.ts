import { expect } from 'chai';
import { container as rootContainer } from 'tsyringe';
import { CORE_OPTION_SPECS, DEFAULT_LIMITS, IBackend, ILimits, IOptions, ISessionLauncher, loadPlugin, registerValue, resolve, validateOptions } from '@pigeondeliver/core';

describe('backend-dovecot manifest', function () {
  it('loads through the real loader and registers IBackend', async function () {
    const manifest = await loadPlugin('backend-dovecot', 'backend', { from: [process.cwd()] });
    expect(manifest.name).to.equal('backend-dovecot');
    expect(manifest.optionPrefixes).to.deep.equal(['dovecot_']);
    const options = validateOptions([{ key: 'dovecot_mode', value: 'doveconf', source: 'test' }], [...CORE_OPTION_SPECS, ...(manifest.options ?? [])]);
    const container = rootContainer.createChildContainer();
    registerValue(container, IOptions, options);
    registerValue(container, ILimits, DEFAULT_LIMITS);
    registerValue(container, ISessionLauncher, { launch: () => Promise.reject(new Error('unused')) });
    await manifest.register(container, options);
    const backend = resolve(container, IBackend);
    expect(backend.name).to.equal('backend-dovecot');
    expect(resolve(container, IBackend)).to.equal(backend);
  });

  it('rejects a bad dovecot_mode with a message naming the key', async function () {
    const manifest = await loadPlugin('backend-dovecot', 'backend', { from: [process.cwd()] });
    expect(() => validateOptions([{ key: 'dovecot_mode', value: 'fast', source: 'test' }], [...CORE_OPTION_SPECS, ...(manifest.options ?? [])])).to.throw(/dovecot_mode/);
  });
});
