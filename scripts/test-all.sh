#!/usr/bin/env bash
# Sets up the machine (scripts/setup.sh) and runs every test: reference checks, build, lint, mocha
# (unit and integration, with real Dovecot, Courier, Postfix, inetd, PostgreSQL, MariaDB and clients).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
