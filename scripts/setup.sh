#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) for PigeonDeliver: Debian packages (Dovecot, Courier
# unpacked privately, clients used by the tests), npm dependencies, and the TypeScript build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then
  bash scripts/install-system-packages.sh
else
  echo "setup.sh: not root: skipping Debian packages (run scripts/install-system-packages.sh as root once)" >&2
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
