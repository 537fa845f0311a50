// Tests the repository's scripts/check-references.mjs (the check:refs tool) on small temporary trees.
// It lives with core's tests because core's helper owns the foundation tooling.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createTempDir, type TempDir } from '@pigeondeliver/test-fixtures/temp-dir';

const repoRoot = dirname(dirname(createRequire(import.meta.url).resolve('@pigeondeliver/test-fixtures/package.json')));
const SCRIPT = join(repoRoot, 'scripts', 'check-references.mjs');

interface PackageSpec {
  deps?: string[];
  devDeps?: string[];
  refs?: string[];
  testRefs?: string[];
  src?: string;
  test?: string;
}

/** Writes one workspace package (short name) with package.json, tsconfig.json, src and optional tests. */
function writePackage(tree: TempDir, dir: string, name: string, spec: PackageSpec): void {
  const deps = spec.deps ?? [];
  const devDeps = spec.devDeps ?? ['test-fixtures'];
  const scoped = (list: string[]) => Object.fromEntries(list.map((d) => [`@pigeondeliver/${d}`, '0.1.0']));
  tree.write(`${dir}/package.json`, JSON.stringify({ name: `@pigeondeliver/${name}`, version: '0.1.0', dependencies: scoped(deps), devDependencies: scoped(devDeps) }));
  const toPkg = (d: string) => (d === 'test-fixtures' ? '../../test-fixtures' : `../${d}`);
  const refs = spec.refs ?? deps.map(toPkg);
  tree.write(`${dir}/tsconfig.json`, `{\n  // a comment, as tsconfig allows\n  "compilerOptions": { "rootDir": "src", },\n  "references": ${JSON.stringify(refs.map((path) => ({ path })))}\n}\n`);
  tree.write(`${dir}/src/index.ts`, spec.src ?? deps.map((d) => `import '@pigeondeliver/${d}';\n`).join(''));
  if (spec.test !== undefined) {
    tree.write(`${dir}/test/unit/index.test.ts`, spec.test);
    const testRefs = spec.testRefs ?? ['..', '../../../test-fixtures', ...deps.map((d) => `../../${d}`)];
    tree.write(`${dir}/test/tsconfig.json`, JSON.stringify({ references: testRefs.map((path) => ({ path })) }));
  }
}

/** A small valid tree: core, login-common, login-imap, forker-stdio, backend-proxy, test-fixtures. */
function validTree(): TempDir {
  const tree = createTempDir('pd-check-refs-');
  tree.write('package.json', JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*', 'test-fixtures'] }));
  writePackage(tree, 'packages/core', 'core', { devDeps: ['test-fixtures'], test: "import '@pigeondeliver/test-fixtures/temp-dir';\nimport '@pigeondeliver/core';\n" });
  writePackage(tree, 'packages/login-common', 'login-common', { deps: ['core'] });
  writePackage(tree, 'packages/login-imap', 'login-imap', {
    deps: ['core', 'login-common'],
    src: "import { x } from '@pigeondeliver/core';\nimport type { Y } from '@pigeondeliver/login-common';\nimport { z } from './z.js';\n// import '@pigeondeliver/db-common' (a comment is not an import)\nconst url = 'http://example/'; // '//' inside a string\nconst text = \"import x from '@pigeondeliver/db-common'\"; // an import inside a string is not one\nconst re = /['\"]/;\n",
    test: "import { createStreamPair } from '@pigeondeliver/test-fixtures/stream-pair';\nimport '../../src/index.js';\n",
  });
  writePackage(tree, 'packages/forker-stdio', 'forker-stdio', { deps: ['core'] });
  writePackage(tree, 'packages/backend-proxy', 'backend-proxy', { deps: ['core'] });
  writePackage(tree, 'test-fixtures', 'test-fixtures', { deps: ['core'], devDeps: [], refs: ['../packages/core'] });
  writeRootTsconfig(tree, ['packages/core', 'packages/core/test', 'packages/login-common', 'packages/login-imap', 'packages/login-imap/test', 'packages/forker-stdio', 'packages/backend-proxy', 'test-fixtures']);
  return tree;
}

function writeRootTsconfig(tree: TempDir, refs: string[]): void {
  tree.write('tsconfig.json', JSON.stringify({ files: [], references: refs.map((path) => ({ path })) }));
}

/** Runs the script on the tree; returns its exit code and the problem lines. */
function check(tree: TempDir): { code: number | null; lines: string[]; stdout: string } {
  const r = spawnSync(process.execPath, [SCRIPT, '--root', tree.path], { encoding: 'utf8' });
  return { code: r.status, lines: r.stderr.split('\n').filter(Boolean), stdout: r.stdout };
}

/** Expects failure with exactly these problem lines (the summary line aside). */
function expectProblems(tree: TempDir, expected: string[]): void {
  const { code, lines } = check(tree);
  expect(code, lines.join('\n')).to.equal(1);
  expect(lines.at(-1)).to.match(/^check-references: \d+ problems? in \d+ packages$/);
  expect(lines.slice(0, -1)).to.deep.equal([...expected].sort());
}

describe('check-references (scripts/check-references.mjs)', () => {
  let tree: TempDir;
  beforeEach(() => {
    tree = validTree();
  });
  afterEach(() => tree.remove());

  it('passes a consistent tree', () => {
    const { code, stdout, lines } = check(tree);
    expect(lines).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(stdout).to.equal('check-references: 6 packages OK\n');
  });

  it('flags a src import of an undeclared workspace package, with file:line', () => {
    tree.write('packages/login-common/src/extra.ts', "\nimport { a } from '@pigeondeliver/login-imap';\nexport const b = await import('@pigeondeliver/db-common');\n");
    expectProblems(tree, [
      'packages/login-common/src/extra.ts:2: imports @pigeondeliver/login-imap, which packages/login-common/package.json does not declare in dependencies',
      'packages/login-common/src/extra.ts:3: imports @pigeondeliver/db-common, which packages/login-common/package.json does not declare in dependencies',
    ]);
  });

  it('lets tests use devDependencies but not src', () => {
    tree.write('packages/login-imap/src/uses-fixtures.ts', "export * from '@pigeondeliver/test-fixtures/stream-pair';\n");
    expectProblems(tree, [
      'packages/login-imap/src/uses-fixtures.ts:1: imports @pigeondeliver/test-fixtures, which packages/login-imap/package.json does not declare in dependencies (it is only in devDependencies, which src may not use)',
    ]);
  });

  it('flags a test import of a package in neither dependencies nor devDependencies', () => {
    tree.write('packages/core/test/unit/more.test.ts', "import '@pigeondeliver/login-imap';\n");
    expectProblems(tree, [
      'packages/core/test/tsconfig.json: has no reference to ../../login-imap although tests import @pigeondeliver/login-imap',
      'packages/core/test/unit/more.test.ts:1: imports @pigeondeliver/login-imap, which packages/core/package.json does not declare in dependencies or devDependencies',
    ]);
  });

  it('flags tsconfig references and dependencies that disagree, both ways', () => {
    writePackage(tree, 'packages/login-common', 'login-common', { deps: ['core'], refs: [] });
    writePackage(tree, 'packages/backend-proxy', 'backend-proxy', { deps: ['core'], refs: ['../core', '../login-common'] });
    expectProblems(tree, [
      'packages/backend-proxy/tsconfig.json: references ../login-common but packages/backend-proxy/package.json does not depend on @pigeondeliver/login-common',
      'packages/login-common/tsconfig.json: has no reference to ../core although packages/login-common/package.json depends on @pigeondeliver/core',
    ]);
  });

  it('flags references that do not exist or are not packages', () => {
    writePackage(tree, 'packages/login-common', 'login-common', { deps: ['core'], refs: ['../core', '../nothing', '../core/test'] });
    expectProblems(tree, [
      'packages/login-common/tsconfig.json: references ../core/test, which is not a workspace package',
      'packages/login-common/tsconfig.json: references ../nothing, which does not exist',
    ]);
  });

  it('requires test/tsconfig.json to reference the package itself', () => {
    writePackage(tree, 'packages/core', 'core', { test: "import '@pigeondeliver/test-fixtures/temp-dir';\n", testRefs: ['../../../test-fixtures'] });
    expectProblems(tree, ['packages/core/test/tsconfig.json: does not reference its package ("..")']);
  });

  it('requires a test/tsconfig.json when tests exist', () => {
    tree.write('packages/forker-stdio/test/unit/a.test.ts', "import '@pigeondeliver/core';\n");
    writeRootTsconfig(tree, ['packages/core', 'packages/core/test', 'packages/login-common', 'packages/login-imap', 'packages/login-imap/test', 'packages/forker-stdio', 'packages/forker-stdio/test', 'packages/backend-proxy', 'test-fixtures']);
    expectProblems(tree, ['packages/forker-stdio/test/tsconfig.json: is missing but packages/forker-stdio/test has .ts files']);
  });

  it('flags relative imports that reach into another package', () => {
    tree.write('packages/login-imap/src/bad.ts', "import { x } from '../../core/src/options.js';\nimport y from '../../../test-fixtures/src/stream-pair.js';\nimport '../../../scripts/x.mjs';\n");
    tree.write('packages/forker-stdio/test/x.test.ts', "import '../../login-imap/src/index.js';\n");
    tree.write('packages/forker-stdio/test/tsconfig.json', JSON.stringify({ references: [{ path: '..' }] }));
    writeRootTsconfig(tree, ['packages/core', 'packages/core/test', 'packages/login-common', 'packages/login-imap', 'packages/login-imap/test', 'packages/forker-stdio', 'packages/forker-stdio/test', 'packages/backend-proxy', 'test-fixtures']);
    expectProblems(tree, [
      'packages/forker-stdio/test/x.test.ts:1: imports "../../login-imap/src/index.js", which reaches outside @pigeondeliver/forker-stdio into @pigeondeliver/login-imap: import @pigeondeliver/login-imap instead',
      'packages/login-imap/src/bad.ts:1: imports "../../core/src/options.js", which reaches outside @pigeondeliver/login-imap into @pigeondeliver/core: import @pigeondeliver/core instead',
      'packages/login-imap/src/bad.ts:2: imports "../../../test-fixtures/src/stream-pair.js", which reaches outside @pigeondeliver/login-imap into @pigeondeliver/test-fixtures: import @pigeondeliver/test-fixtures instead',
      'packages/login-imap/src/bad.ts:3: imports "../../../scripts/x.mjs", which reaches outside @pigeondeliver/login-imap',
    ]);
  });

  it('allows test-fixtures only in devDependencies', () => {
    writePackage(tree, 'packages/login-common', 'login-common', { deps: ['core', 'test-fixtures'], refs: ['../core', '../../test-fixtures'] });
    expectProblems(tree, [
      'packages/login-common/package.json: @pigeondeliver/test-fixtures is in dependencies; it is test-only and belongs in devDependencies',
    ]);
  });

  it('requires the root tsconfig.json to reference every package and test folder', () => {
    writeRootTsconfig(tree, ['packages/core', 'packages/login-common', 'packages/login-imap', 'packages/forker-stdio', 'test-fixtures', 'packages/gone']);
    expectProblems(tree, [
      'tsconfig.json: does not reference packages/backend-proxy',
      'tsconfig.json: does not reference packages/core/test',
      'tsconfig.json: does not reference packages/login-imap/test',
      'tsconfig.json: references packages/gone, which does not exist',
    ]);
  });

  it('keeps forkers depending on core only', () => {
    writePackage(tree, 'packages/forker-stdio', 'forker-stdio', { deps: ['core', 'login-imap'] });
    expectProblems(tree, [
      'packages/forker-stdio/package.json: forker-stdio depends on @pigeondeliver/login-imap; forkers depend on core only and find login, backend and database plugins by name at run time',
    ]);
  });

  it('keeps backend-proxy away from login packages', () => {
    writePackage(tree, 'packages/backend-proxy', 'backend-proxy', { deps: ['core', 'login-imap'] });
    expectProblems(tree, [
      'packages/backend-proxy/package.json: backend-proxy depends on @pigeondeliver/login-imap; the protocol side of proxying reaches it through IProxyDialect (core), never by importing a login package',
    ]);
  });

  it('keeps core free of workspace dependencies, and finds cycles', () => {
    writePackage(tree, 'packages/core', 'core', { deps: ['login-common'], test: "import '@pigeondeliver/test-fixtures/temp-dir';\n" });
    expectProblems(tree, [
      'packages/core/package.json: core depends on @pigeondeliver/login-common; core depends on no workspace package',
      'packages/core/package.json: dependency cycle: @pigeondeliver/core -> @pigeondeliver/login-common -> @pigeondeliver/core',
    ]);
  });

  it('flags a dependency on a package that is not in the workspace', () => {
    writePackage(tree, 'packages/login-common', 'login-common', { deps: ['core', 'nowhere'], refs: ['../core'] });
    expectProblems(tree, ['packages/login-common/package.json: depends on @pigeondeliver/nowhere, which is not a workspace package']);
  });

  it('rejects unknown arguments with exit code 2', () => {
    const r = spawnSync(process.execPath, [SCRIPT, '--bogus'], { encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('unknown argument "--bogus"');
  });
});
