import { expect } from 'chai';
import { container } from 'tsyringe';
import { CORE_OPTION_SPECS, loadPlugin, validateOptions } from '@pigeondeliver/core';
import { itRegistersBackendPlugin } from '@pigeondeliver/test-fixtures/backend-manifest';

describe('backend-dovecot manifest', function () {
  itRegistersBackendPlugin({ plugin: 'backend-dovecot', optionPrefix: 'dovecot_', sampleOption: { key: 'dovecot_mode', value: 'doveconf' }, root: container });

  it('rejects a bad dovecot_mode with a message naming the key', async function () {
    const manifest = await loadPlugin('backend-dovecot', 'backend', { from: [process.cwd()] });
    expect(() => validateOptions([{ key: 'dovecot_mode', value: 'fast', source: 'test' }], [...CORE_OPTION_SPECS, ...(manifest.options ?? [])])).to.throw(/dovecot_mode/);
  });

  it('rejects a relative dovecot_handoff_login_dir, naming the key', async function () {
    const manifest = await loadPlugin('backend-dovecot', 'backend', { from: [process.cwd()] });
    const specs = [...CORE_OPTION_SPECS, ...(manifest.options ?? [])];
    expect(() => validateOptions([{ key: 'dovecot_handoff_login_dir', value: 'run/login', source: 'test' }], specs)).to.throw(/dovecot_handoff_login_dir.*not an absolute path/);
    expect(() => validateOptions([{ key: 'dovecot_handoff_login_dir', value: '/run/pigeondeliver/dovecot-login', source: 'test' }], specs)).not.to.throw();
  });
});
