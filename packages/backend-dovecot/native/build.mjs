#!/usr/bin/env node
// Builds the pd_fdpass addon (the "install" script of @pigeondeliver/backend-dovecot); see core's native-build.mjs.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNativeAddon } from '@pigeondeliver/core/native-build';

buildNativeAddon({
  name: 'pd_fdpass',
  directory: dirname(fileURLToPath(import.meta.url)),
  optional: false,
  fallback: 'dovecot_mode=handoff is unavailable without it; needs make, a C compiler and python3',
});
