#!/usr/bin/env node
/** pd-admin: see `pd-admin --help`. */
import { runAdmin } from '../cli.js';

runAdmin(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`pd-admin: ${(e as Error).message ?? String(e)}\n`);
    process.exit(70);
  },
);
