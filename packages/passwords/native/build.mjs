#!/usr/bin/env node
// Builds the pd_crypt addon (the system's crypt(3), libxcrypt) with node-gyp: the "install" script of
// @pigeondeliver/passwords, the same steps as @pigeondeliver/backend-dovecot's native/build.mjs.
// A failed build does not fail the install: the package then computes crypt(3) hashes in JavaScript
// (slower) and says so (passwordCryptBackend()); the passwords tests fail under CI=true without it.
// Uses the Node headers installed next to this node (Debian: /usr/include/node) when they exist,
// so no header download is needed; otherwise node-gyp's own header lookup applies.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.platform !== 'linux') {
  console.warn('pd_crypt: not Linux, skipping the native build (crypt(3) hashes are computed in JavaScript)');
  process.exit(0);
}
const here = dirname(fileURLToPath(import.meta.url));
const prefix = dirname(dirname(process.execPath));
const args = ['rebuild', '--directory', here];
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
/** node-gyp's script: the one npm hands to install scripts, the one installed here, or npm's own copy. */
function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed as a package here
  }
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => c && existsSync(c));
}
const gyp = findNodeGyp();
const [cmd, cmdArgs] = gyp ? [process.execPath, [gyp, ...args]] : ['node-gyp', args];
const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
if (r.error || r.status !== 0) {
  const why = r.error ? `cannot run node-gyp: ${r.error.message}` : `node-gyp exited with ${r.status ?? r.signal}`;
  console.warn(`pd_crypt: ${why}; crypt(3) hashes will be computed in JavaScript (needs make, a C compiler, python3, libcrypt-dev)`);
}
process.exit(0);
