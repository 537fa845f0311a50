#!/usr/bin/env node
// Scaffolds packages/<name> with package.json, tsconfig.json, test/tsconfig.json, src/index.ts, README.md.
// Usage: node scripts/new-package.mjs <name> "<description>" [dep,dep,...]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
const [name, description, depList = ''] = process.argv.slice(2);
if (!name || !description) { console.error('usage: new-package.mjs NAME DESCRIPTION [deps]'); process.exit(2); }
const dir = `packages/${name}`;
if (existsSync(dir)) { console.error(`${dir} exists`); process.exit(1); }
const deps = depList ? depList.split(',') : [];
mkdirSync(`${dir}/src`, { recursive: true });
mkdirSync(`${dir}/test/unit`, { recursive: true });
const dependencies = Object.fromEntries(deps.map((d) => [`@pigeondeliver/${d}`, '0.1.0']));
const pkg = {
  name: `@pigeondeliver/${name}`,
  version: '0.1.0',
  description,
  type: 'module',
  license: 'MIT',
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
  files: ['dist', 'README.md'],
  engines: { node: '>=20.19' },
  scripts: { build: 'tsc -b', test: 'mocha --config ../../.mocharc.json --spec "dist-test/**/*.test.js"' },
  dependencies,
  devDependencies: { '@pigeondeliver/test-fixtures': '0.1.0' },
};
writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(`${dir}/tsconfig.json`, JSON.stringify({
  extends: '../../tsconfig.base.json',
  compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
  include: ['src'],
  references: deps.map((d) => ({ path: `../${d}` })),
}, null, 2) + '\n');
writeFileSync(`${dir}/test/tsconfig.json`, JSON.stringify({
  extends: '../../../tsconfig.base.json',
  compilerOptions: { rootDir: '.', outDir: '../dist-test', tsBuildInfoFile: '../dist-test/.tsbuildinfo', types: ['node', 'mocha'] },
  include: ['**/*.ts'],
  references: [{ path: '..' }, { path: '../../../test-fixtures' }, ...deps.map((d) => ({ path: `../../${d}` }))],
}, null, 2) + '\n');
writeFileSync(`${dir}/src/index.ts`, `/** @packageDocumentation ${description} */\nexport {};\n`);
writeFileSync(`${dir}/README.md`, `# @pigeondeliver/${name}\n\n${description}\n`);
console.log(`created ${dir}`);
