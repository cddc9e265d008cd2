// Flat config: typescript-eslint's recommended rules plus three type-aware ones, Prettier decides formatting,
// and the layer rules of docs/architecture.md: libs never import apps; domain libs never import adapters
// (mongoose, ioredis, kafkajs). dependency-cruiser (.dependency-cruiser.js) checks the layers inside the apps.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const adapters = ['mongoose', 'ioredis', 'kafkajs', '@nestjs/*', 'fastify'];
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.local/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Type-aware rules (tsconfig.json through the project service): a promise nobody awaits, a promise
    // where a callback's void is expected, a switch over a union that misses a member without a default.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/apps/**', 'apps/*'], message: 'libs never import apps' }] }],
    },
  },
  {
    // Pure domain libraries: no transport, no store, no framework.
    files: ['libs/indicators/src/**/*.ts', 'libs/privacy/src/**/*.ts', 'libs/regions/src/**/*.ts', 'libs/contracts/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**', 'apps/*'], message: 'libs never import apps' }, { group: adapters, message: 'domain libs stay free of adapters and frameworks' }] },
      ],
    },
  },
);
