// ESLint flat config (eslint 9 + typescript-eslint): the recommended rules everywhere, stricter in
// the packages' src (no `any` at package boundaries, code-style §1.6). Run `npx eslint .` from the root.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Build output, installed packages and fixture data (fake plugins, transcripts, binaries) are not linted.
    ignores: ['**/dist/**', '**/dist-test/**', '**/node_modules/**', 'test-fixtures/data/**', '.ci/**', 'run/**', 'demo/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names are a compile error already (noUnusedLocals); here only catch what tsc allows,
      // and let `_name` mark a deliberately unused parameter.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Explicit `any` is a warning in tests and scripts, an error in src (below).
      '@typescript-eslint/no-explicit-any': 'warn',
      // tsyringe's global container is never used: every process builds a child container (decision 0003).
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'tsyringe',
              importNames: ['registry', 'autoInjectable', 'singleton', 'inject', 'injectable'],
              message: 'Import inject/injectable from @pigeondeliver/core (it loads reflect-metadata first); @registry, @autoInjectable and @singleton use the global container.',
            },
          ],
        },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // CommonJS files (mocha loads reporters with require()).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['packages/*/src/**/*.ts', 'test-fixtures/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // core itself wraps tsyringe: it is the one place allowed to import its decorators.
    files: ['packages/core/src/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.test.ts'],
    languageOptions: { globals: { ...globals.mocha } },
    rules: {
      // chai's `expect(x).to.be.true` style is an expression statement.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
