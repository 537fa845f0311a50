// Builds a package's N-API addon with node-gyp: the shared body of the "install" scripts of
// @pigeondeliver/backend-dovecot (pd_fdpass) and @pigeondeliver/passwords (pd_crypt). Plain JavaScript
// shipped as is (`@pigeondeliver/core/native-build`): install scripts run before anything is compiled.
// Uses the Node headers installed next to this node (Debian: /usr/include/node) when they exist, so no
// header download is needed; otherwise node-gyp's own header lookup applies.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** node-gyp's script: the one npm hands to install scripts, one installed as a package, or npm's own copy. */
function findNodeGyp(prefix) {
  const candidates = [process.env.npm_config_node_gyp];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed as a package here
  }
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => c && existsSync(c));
}

/**
 * Runs `node-gyp rebuild` in `directory` (the folder of binding.gyp) and exits the process with the
 * outcome. `name` prefixes the messages. With `optional`, a failure (or another OS than Linux) only
 * warns with `fallback` and exits 0, so the install goes on without the addon; otherwise it exits
 * non-zero. On another OS than Linux nothing is built either way (the addons use Linux interfaces).
 */
export function buildNativeAddon({ name, directory, optional, fallback }) {
  if (process.platform !== 'linux') {
    console.warn(`${name}: not Linux, skipping the native build (${fallback})`);
    process.exit(0);
  }
  const prefix = dirname(dirname(process.execPath));
  const args = ['rebuild', '--directory', directory];
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
  const gyp = findNodeGyp(prefix);
  const [cmd, cmdArgs] = gyp ? [process.execPath, [gyp, ...args]] : ['node-gyp', args];
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (!r.error && r.status === 0) process.exit(0);
  const why = r.error ? `cannot run node-gyp: ${r.error.message}` : `node-gyp exited with ${r.status ?? r.signal}`;
  if (optional) {
    console.warn(`${name}: ${why}; ${fallback}`);
    process.exit(0);
  }
  console.error(`${name}: ${why} (${fallback})`);
  process.exit(r.status || 1);
}
