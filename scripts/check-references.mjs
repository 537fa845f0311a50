#!/usr/bin/env node
// Checks that the workspace packages, their package.json dependencies, their tsconfig project
// references and their imports agree, and that the dependency directions of DESIGN.md hold
// (Jest's scripts/checkReferences idea). Exit 0 when all is well, 1 with one line per problem.
//
//   node scripts/check-references.mjs [--root DIR]
//
// Rules:
//  1. src files import only @pigeondeliver/* packages declared in dependencies (or peer/optional
//     dependencies); test files may also use devDependencies. A package may import itself.
//  2. <pkg>/tsconfig.json references exactly the workspace packages in those dependencies.
//  3. <pkg>/test/tsconfig.json exists when test/ has .ts files, references the package itself ("..")
//     and every workspace package its tests import.
//  4. No file imports another package by relative path (../../other-pkg/src/x.js, ../core/src).
//  5. @pigeondeliver/test-fixtures only in devDependencies.
//  6. The root tsconfig.json references every package, and every package's test folder that has .ts files.
//  7. Directions: core depends on no workspace package; forker-* depend on core only (they find the
//     login service, backend and database by name at run time); backend-proxy does not depend on
//     login-* (the protocol side comes through IProxyDialect); no dependency cycles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCOPE = '@pigeondeliver/';
const TEST_FIXTURES = `${SCOPE}test-fixtures`;
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'dist-test', '.git']);
const RUNTIME_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

function parseArgs(argv) {
  let root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root' && argv[i + 1]) root = resolve(argv[++i]);
    else if (argv[i] === '--help' || argv[i] === '-h') {
      process.stdout.write('usage: node scripts/check-references.mjs [--root DIR]\n');
      process.exit(0);
    } else {
      process.stderr.write(`check-references: unknown argument "${argv[i]}" (usage: check-references.mjs [--root DIR])\n`);
      process.exit(2);
    }
  }
  return { root };
}

/** JSON with comments and trailing commas, as tsconfig files may be written. */
function readJsonc(file) {
  const text = readFileSync(file, 'utf8');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i < 0) i = text.length;
      else i++;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

/**
 * Splits source text into code and string literals: comments and the contents of every string are
 * blanked in `code` (newlines kept, so offsets and line numbers stay right), and `literals` maps the
 * offset of each opening quote to the string's value. Import patterns then match code only, never
 * text that merely looks like an import inside a string or a comment.
 */
function scanSource(text) {
  let code = '';
  const literals = new Map();
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      const start = i;
      let value = '';
      for (i++; i < text.length && text[i] !== c; i++) {
        if (text[i] === '\\') {
          value += text[i + 1] ?? '';
          i++;
        } else if (c !== '`' && text[i] === '\n') break;
        else value += text[i];
      }
      literals.set(start, value);
      code += c + text.slice(start + 1, i).replace(/[^\n]/g, ' ') + (i < text.length ? text[i] : '');
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        code += ' ';
        i++;
      }
      if (i < text.length) code += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      code += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop - 1;
    } else code += c;
  }
  return { code, literals };
}

/** Code that is followed by a module specifier string (the match ends at its opening quote). */
const IMPORT_LEADS = [
  { pattern: /\bfrom\s*(?=['"])/g }, // import x from '…', export … from '…'
  { pattern: /\bimport\s*(?=['"])/g }, // import '…'
  { pattern: /\bimport\s*\(\s*(?=['"])/g }, // import('…')
  { pattern: /\brequire\s*\(\s*(?=['"])/g }, // require('…')
  { pattern: /\bresolve\s*\(\s*(?=['"])/g, scopedOnly: true }, // require.resolve / import.meta.resolve of a workspace package
];

/** Every module specifier in a file, with its line. */
function importsOf(file) {
  const { code, literals } = scanSource(readFileSync(file, 'utf8'));
  const found = new Map();
  for (const { pattern, scopedOnly } of IMPORT_LEADS) {
    for (const m of code.matchAll(pattern)) {
      const quote = m.index + m[0].length;
      const specifier = literals.get(quote);
      if (specifier === undefined || specifier === '' || (scopedOnly && !specifier.startsWith(SCOPE))) continue;
      const line = code.slice(0, quote).split('\n').length;
      found.set(`${specifier}\0${line}`, { specifier, line });
    }
  }
  return [...found.values()].sort((x, y) => x.line - y.line);
}

function packageOf(specifier) {
  if (!specifier.startsWith(SCOPE)) return undefined;
  return specifier.split('/').slice(0, 2).join('/');
}

function listFiles(dir, filter, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, filter, out);
    else if (entry.isFile() && filter(entry.name)) out.push(path);
  }
  return out;
}

const isSource = (name) => SOURCE_EXTENSIONS.some((e) => name.endsWith(e));
const isTs = (name) => /\.[cm]?ts$/.test(name);
const inside = (dir, path) => path === dir || path.startsWith(dir + sep);

function workspaceDirs(root, rootPkg) {
  const dirs = [];
  for (const pattern of rootPkg.workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const base = join(root, pattern.slice(0, -2));
      if (!existsSync(base)) continue;
      for (const e of readdirSync(base, { withFileTypes: true })) {
        if (e.isDirectory() && existsSync(join(base, e.name, 'package.json'))) dirs.push(join(base, e.name));
      }
    } else if (existsSync(join(root, pattern, 'package.json'))) dirs.push(join(root, pattern));
  }
  return dirs.sort();
}

/** Resolves a tsconfig reference path to the folder of the project it names. */
function referenceDir(tsconfigFile, refPath) {
  const abs = resolve(dirname(tsconfigFile), refPath);
  return abs.endsWith('.json') ? dirname(abs) : abs;
}

function main() {
  const { root } = parseArgs(process.argv.slice(2));
  const problems = [];
  const rel = (p) => relative(root, p) || '.';
  const report = (where, message) => problems.push(`${where}: ${message}`);

  const rootPkgFile = join(root, 'package.json');
  if (!existsSync(rootPkgFile)) {
    process.stderr.write(`check-references: no package.json in ${root}\n`);
    process.exit(2);
  }
  const rootPkg = JSON.parse(readFileSync(rootPkgFile, 'utf8'));

  /** name -> { name, dir, pkg, short } */
  const packages = new Map();
  const byDir = new Map();
  for (const dir of workspaceDirs(root, rootPkg)) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (typeof pkg.name !== 'string' || pkg.name.length === 0) {
      report(rel(join(dir, 'package.json')), 'has no "name"');
      continue;
    }
    const info = { name: pkg.name, dir, pkg, short: pkg.name.startsWith(SCOPE) ? pkg.name.slice(SCOPE.length) : pkg.name };
    packages.set(pkg.name, info);
    byDir.set(dir, info);
  }

  const workspaceDeps = (info, fields) => {
    const out = new Set();
    for (const f of fields) for (const name of Object.keys(info.pkg[f] ?? {})) if (packages.has(name) || name.startsWith(SCOPE)) out.add(name);
    return out;
  };

  const rootTsconfig = join(root, 'tsconfig.json');
  const rootRefs = new Set();
  if (existsSync(rootTsconfig)) {
    for (const r of readJsonc(rootTsconfig).references ?? []) {
      const dir = referenceDir(rootTsconfig, r.path);
      if (!existsSync(dir)) report('tsconfig.json', `references ${r.path}, which does not exist`);
      rootRefs.add(dir);
    }
  } else report('tsconfig.json', 'is missing (the solution file must reference every package)');

  for (const info of packages.values()) {
    const pkgFile = rel(join(info.dir, 'package.json'));
    const runtime = workspaceDeps(info, RUNTIME_FIELDS);
    const dev = workspaceDeps(info, ['devDependencies']);

    // 5. test-fixtures only in devDependencies.
    for (const f of RUNTIME_FIELDS) {
      if (info.pkg[f]?.[TEST_FIXTURES] !== undefined) report(pkgFile, `${TEST_FIXTURES} is in ${f}; it is test-only and belongs in devDependencies`);
    }
    for (const name of [...runtime, ...dev]) {
      if (!packages.has(name)) report(pkgFile, `depends on ${name}, which is not a workspace package`);
    }

    // 7. Directions.
    for (const name of runtime) {
      const short = name.slice(SCOPE.length);
      if (info.short === 'core') report(pkgFile, `core depends on ${name}; core depends on no workspace package`);
      if (info.short.startsWith('forker-') && short !== 'core') {
        report(pkgFile, `${info.short} depends on ${name}; forkers depend on core only and find login, backend and database plugins by name at run time`);
      }
      if (info.short === 'backend-proxy' && short.startsWith('login-')) {
        report(pkgFile, `backend-proxy depends on ${name}; the protocol side of proxying reaches it through IProxyDialect (core), never by importing a login package`);
      }
    }

    // 1 and 4. Imports.
    const testDir = join(info.dir, 'test');
    const testImports = new Set();
    const files = listFiles(info.dir, isSource).filter((f) => !inside(join(info.dir, 'data'), f));
    for (const file of files) {
      const isTest = inside(testDir, file);
      const allowed = isTest ? new Set([...runtime, ...dev]) : runtime;
      for (const { specifier, line } of importsOf(file)) {
        const where = `${rel(file)}:${line}`;
        if (specifier.startsWith('.')) {
          const target = resolve(dirname(file), specifier);
          if (!inside(info.dir, target)) {
            const other = [...byDir.values()].find((o) => inside(o.dir, target));
            report(where, `imports "${specifier}", which reaches outside ${info.name}${other ? ` into ${other.name}: import ${other.name} instead` : ''}`);
          }
          continue;
        }
        if (isAbsolute(specifier)) {
          report(where, `imports the absolute path "${specifier}"`);
          continue;
        }
        const name = packageOf(specifier);
        if (!name || name === info.name) continue;
        if (isTest) testImports.add(name);
        if (!allowed.has(name)) {
          const field = isTest ? 'dependencies or devDependencies' : 'dependencies';
          const hint = !isTest && dev.has(name) ? ` (it is only in devDependencies, which src may not use)` : '';
          report(where, `imports ${name}, which ${pkgFile} does not declare in ${field}${hint}`);
        }
      }
    }

    // 2. tsconfig references == workspace runtime dependencies.
    const tsconfig = join(info.dir, 'tsconfig.json');
    if (!existsSync(tsconfig)) report(rel(tsconfig), 'is missing');
    else {
      const referenced = new Set();
      for (const r of readJsonc(tsconfig).references ?? []) {
        const dir = referenceDir(tsconfig, r.path);
        const target = byDir.get(dir);
        if (!existsSync(dir)) report(rel(tsconfig), `references ${r.path}, which does not exist`);
        else if (!target) report(rel(tsconfig), `references ${r.path}, which is not a workspace package`);
        else {
          referenced.add(target.name);
          if (!runtime.has(target.name)) report(rel(tsconfig), `references ${r.path} but ${pkgFile} does not depend on ${target.name}`);
        }
      }
      for (const name of runtime) {
        const target = packages.get(name);
        if (target && !referenced.has(name)) {
          report(rel(tsconfig), `has no reference to ${relative(info.dir, target.dir)} although ${pkgFile} depends on ${name}`);
        }
      }
    }

    // 3. test/tsconfig.json.
    const testTs = listFiles(testDir, isTs);
    const testTsconfig = join(testDir, 'tsconfig.json');
    if (testTs.length > 0) {
      if (!existsSync(testTsconfig)) report(rel(testTsconfig), `is missing but ${rel(testDir)} has .ts files`);
      else {
        const referenced = new Set();
        for (const r of readJsonc(testTsconfig).references ?? []) {
          const dir = referenceDir(testTsconfig, r.path);
          if (!existsSync(dir)) report(rel(testTsconfig), `references ${r.path}, which does not exist`);
          referenced.add(dir);
        }
        if (!referenced.has(info.dir)) report(rel(testTsconfig), `does not reference its package ("..")`);
        for (const name of testImports) {
          const target = packages.get(name);
          if (target && !referenced.has(target.dir)) {
            report(rel(testTsconfig), `has no reference to ${relative(testDir, target.dir)} although tests import ${name}`);
          }
        }
      }
      // 6. root references the test folder.
      if (!rootRefs.has(testDir)) report('tsconfig.json', `does not reference ${rel(testDir)}`);
    }
    // 6. root references the package.
    if (!rootRefs.has(info.dir)) report('tsconfig.json', `does not reference ${rel(info.dir)}`);
  }

  // 7. No cycles among runtime dependencies.
  const state = new Map();
  const stack = [];
  const visit = (name) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      report(rel(join(packages.get(name).dir, 'package.json')), `dependency cycle: ${cycle.join(' -> ')}`);
      return;
    }
    state.set(name, 'open');
    stack.push(name);
    for (const dep of workspaceDeps(packages.get(name), RUNTIME_FIELDS)) if (packages.has(dep)) visit(dep);
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...packages.keys()].sort()) visit(name);

  if (problems.length > 0) {
    const unique = [...new Set(problems)].sort();
    process.stderr.write(unique.map((p) => `${p}\n`).join(''));
    process.stderr.write(`check-references: ${unique.length} problem${unique.length === 1 ? '' : 's'} in ${packages.size} packages\n`);
    process.exit(1);
  }
  process.stdout.write(`check-references: ${packages.size} packages OK\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`check-references: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}

