// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** Only the shell may touch Electron: services stay plain Node so they run under `hearth serve` and tests. */
export const electronAllowed = [
  'src/main/electron/**',
  'src/main/bindings/electron-ipc.ts',
  'src/preload/**',
  'tests/mocks/electron.ts',
];

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
/** Forbids electron and every Node built-in, with the reason. */
const noNodeImports = (message) => [
  'error',
  { paths: [noElectron, ...nodeModules.map((name) => ({ name, message }))] },
];

const noElectron = {
  name: 'electron',
  message:
    'Only src/main/electron/**, src/main/bindings/electron-ipc.ts and src/preload/** may import electron.',
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'scratch/**',
      '.cache/**',
      'bench/results/**',
      'tests/e2e/artifacts/**',
      'tests/lint-fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [{ group: ['electron/*'], message: noElectron.message }] },
      ],
    },
  },
  {
    files: electronAllowed,
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': noNodeImports(
        'The renderer runs without Node: talk to main through the contract.',
      ),
    },
  },
  {
    files: ['src/shared/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': noNodeImports('src/shared is pure TypeScript: no Node modules.'),
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'location',
          'process',
          'Buffer',
          'require',
          '__dirname',
        ].map((name) => ({
          name,
          message: 'src/shared is pure TypeScript: no Node or DOM globals.',
        })),
      ],
    },
  },
);
