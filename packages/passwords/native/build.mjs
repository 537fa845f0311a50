#!/usr/bin/env node
// Builds the pd_crypt addon (the system's crypt(3), libxcrypt): the "install" script of
// @pigeondeliver/passwords; see core's native-build.mjs. A failed build does not fail the install: the
// package then computes crypt(3) hashes in JavaScript (slower) and says so (passwordCryptBackend());
// the passwords tests fail under CI=true without it.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNativeAddon } from '@pigeondeliver/core/native-build';

buildNativeAddon({
  name: 'pd_crypt',
  directory: dirname(fileURLToPath(import.meta.url)),
  optional: true,
  fallback: 'crypt(3) hashes will be computed in JavaScript (needs make, a C compiler, python3, libcrypt-dev)',
});
