// The pre-greeting bundles of scripts/bundle-early.mjs (docs/performance.md, "Time to greeting"):
// current with the compiled modules, exporting what those export, sharing the error classes with the
// full core, and loading none of the heavy built-ins before a greeting.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as early from '@pigeondeliver/core/early';
import * as full from '@pigeondeliver/core';

const require = createRequire(import.meta.url);
const repoRoot = dirname(dirname(require.resolve('@pigeondeliver/test-fixtures/package.json')));

describe('pre-greeting bundles (scripts/bundle-early.mjs)', () => {
  it('are not older than the modules they were built from (npm run build bundles, tsc -b alone does not)', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'bundle-early.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
  });

  it('core/early resolves to the bundle and exports every name of early/index.js', async () => {
    expect(require.resolve('@pigeondeliver/core/early')).to.match(/early\.bundle\.js$/);
    const compiled = (await import(join(dirname(require.resolve('@pigeondeliver/core')), 'early', 'index.js'))) as Record<string, unknown>;
    expect(Object.keys(early).sort()).to.deep.equal(Object.keys(compiled).sort());
  });

  it('shares the error classes with the full core, so instanceof holds across both', () => {
    expect(early.ConfigError).to.equal(full.ConfigError);
    expect(early.PluginLoadError).to.equal(full.PluginLoadError);
    expect(new early.ConfigError('x', 'k')).to.be.instanceOf(full.PigeonError);
  });

  it('loads no node:tls, node:child_process or CommonJS package (fastest-levenshtein is loaded on a misspelling only)', () => {
    const script = "await import('@pigeondeliver/core/early'); process.stdout.write(JSON.stringify(process.moduleLoadList));";
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    const loaded = JSON.parse(r.stdout) as string[];
    expect(loaded).to.not.include('NativeModule tls');
    expect(loaded).to.not.include('NativeModule child_process');
    expect(loaded, 'a CommonJS package imported from ESM').to.not.include('NativeModule internal/deps/cjs-module-lexer/lexer');
  });
});
