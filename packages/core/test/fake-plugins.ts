/** Where the fake plugin packages of @pigeondeliver/test-fixtures live (test-fixtures/data/plugins). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const fixturesRoot = dirname(createRequire(import.meta.url).resolve('@pigeondeliver/test-fixtures/package.json'));

/** Absolute path of the folder holding the fake plugins. */
export const FAKE_PLUGINS = join(fixturesRoot, 'data', 'plugins');

/** Absolute path of one fake plugin folder (`valid`, `wrong-kind`, `scoped-project`, ...). */
export function fakePlugin(folder: string): string {
  return join(FAKE_PLUGINS, folder);
}
