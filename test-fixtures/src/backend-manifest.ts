/// <reference types="mocha" />
/**
 * The manifest test every backend plugin runs: it loads through core's real loader (from the
 * repository root, the working directory of the test run), claims its option prefix, and registers
 * one IBackend singleton with the services a backend may need (options, limits, a session launcher).
 */
import {
  CORE_OPTION_SPECS,
  DEFAULT_LIMITS,
  IBackend,
  ILimits,
  IOptions,
  ISessionLauncher,
  loadPlugin,
  registerValue,
  resolve,
  validateOptions,
  type DependencyContainer,
  type RawOption,
} from '@pigeondeliver/core';
import { expect } from 'chai';

/** One backend under test. */
export interface BackendManifestCase {
  /** Plugin name, e.g. `backend-dovecot`. */
  readonly plugin: string;
  /** Its one option prefix, e.g. `dovecot_`. */
  readonly optionPrefix: string;
  /** One valid option of the plugin's own, to show its specs are taken. */
  readonly sampleOption: { readonly key: string; readonly value: string };
  /** The test's root container (test-fixtures does not import tsyringe itself). */
  readonly root: DependencyContainer;
}

/** Defines the test (call it inside the package's describe()). */
export function itRegistersBackendPlugin(c: BackendManifestCase): void {
  it('loads through the real loader and registers IBackend', async function () {
    const manifest = await loadPlugin(c.plugin, 'backend', { from: [process.cwd()] });
    expect(manifest.name).to.equal(c.plugin);
    expect(manifest.optionPrefixes).to.deep.equal([c.optionPrefix]);
    const raw: RawOption[] = [{ ...c.sampleOption, source: 'test' }];
    const options = validateOptions(raw, [...CORE_OPTION_SPECS, ...(manifest.options ?? [])]);
    const container = c.root.createChildContainer();
    registerValue(container, IOptions, options);
    registerValue(container, ILimits, DEFAULT_LIMITS);
    registerValue(container, ISessionLauncher, { launch: () => Promise.reject(new Error('unused')) });
    await manifest.register(container, options);
    const backend = resolve(container, IBackend);
    expect(backend.name).to.equal(c.plugin);
    expect(resolve(container, IBackend)).to.equal(backend);
  });
}
