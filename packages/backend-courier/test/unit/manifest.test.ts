import { expect } from 'chai';
import { container as rootContainer } from 'tsyringe';
import { CORE_OPTION_SPECS, DEFAULT_LIMITS, IBackend, ILimits, IOptions, ISessionLauncher, loadPlugin, registerValue, resolve, validateOptions } from '@pigeondeliver/core';

describe('backend-courier manifest', function () {
  it('loads through the real loader and registers IBackend', async function () {
    const manifest = await loadPlugin('backend-courier', 'backend', { from: [process.cwd()] });
    expect(manifest.name).to.equal('backend-courier');
    expect(manifest.optionPrefixes).to.deep.equal(['courier_']);
    const options = validateOptions([{ key: 'courier_prefix', value: '/opt/x', source: 'test' }], [...CORE_OPTION_SPECS, ...(manifest.options ?? [])]);
    const container = rootContainer.createChildContainer();
    registerValue(container, IOptions, options);
    registerValue(container, ILimits, DEFAULT_LIMITS);
    registerValue(container, ISessionLauncher, { launch: () => Promise.reject(new Error('unused')) });
    await manifest.register(container, options);
    const backend = resolve(container, IBackend);
    expect(backend.name).to.equal('backend-courier');
    expect(resolve(container, IBackend)).to.equal(backend);
  });
});
