// Lint is where the architecture is enforced: which layer may import which, and the few APIs that
// are only safe behind one helper. Type-aware rules catch floating promises and unsafe `any`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
  'readline',
  'v8',
  'vm',
];
const nodeAndElectron = [
  { group: ['node:*', ...NODE_BUILTINS], message: 'shared/ and renderer/ are pure: no Node built-ins.' },
  { group: ['electron', 'electron/*'], message: 'Only main/electron may import electron.' },
  {
    group: [
      'better-sqlite3',
      '@napi-rs/keyring',
      'undici',
      'fastify',
      '@fastify/*',
      'pino',
      'croner',
      'csv-parse',
    ],
    message: 'Node-only libraries belong in main/.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodeAndElectron,
            { group: ['react', 'react-dom', 'zustand'], message: 'shared/ holds no UI code.' },
            {
              group: ['**/main/**', '**/renderer/**', '../../main/*', '../../renderer/*'],
              message: 'shared/ imports only shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodeAndElectron,
            {
              group: ['**/main/**', '../../main/*', '../main/*'],
              message: 'renderer/ imports only shared/.',
            },
            { group: ['**/test/**'], message: 'renderer/ imports only shared/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**', '../renderer/*', '../../renderer/*'],
              message: 'main/ never imports renderer/.',
            },
            { group: ['**/test/**'], message: 'Product code never imports tests or emulators.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          // shell.openExternal with an attacker-controlled URL runs arbitrary protocol handlers
          // (file:, smb:, custom schemes: remote code execution). Only main/electron/open-external.ts
          // may call it, after its https-only check.
          selector: "MemberExpression[property.name='openExternal']",
          message: 'Use openExternalHttps() from main/electron/open-external.ts.',
        },
      ],
    },
  },
  {
    // The engine knows nothing of the API above it: operation handlers (main/api/handlers) call the
    // engine, never the other way round, so the two never import each other.
    files: ['main/engine/**/*.ts', 'main/connectors/**/*.ts', 'main/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**'], message: 'main/ never imports renderer/.' },
            { group: ['**/test/**'], message: 'Product code never imports tests or emulators.' },
            {
              group: ['**/api/**', '../api/*', '../../api/*'],
              message: 'The engine never imports main/api/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The Electron main process draws windows and relays ports; the store, the vault and the
    // dispatcher live in the core utility process (main/core-process), so nothing here may wait on
    // SQLite. Of main/core-process only the port protocol and the port shapes may be imported.
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**'], message: 'main/ never imports renderer/.' },
            { group: ['**/test/**'], message: 'Product code never imports tests or emulators.' },
            {
              group: [
                'better-sqlite3',
                '@napi-rs/keyring',
                '**/store/**',
                '**/app/**',
                '**/api/**',
                '**/engine/**',
                '**/repositories/**',
                '**/vault/**',
                '**/auth/**',
                '**/connectors/**',
                '**/core-process/**',
                '!**/core-process/port-protocol.js',
                '!**/core-process/message-port-like.js',
              ],
              message: 'The Electron main process never opens the store: the core runs in main/core-process.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/open-external.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
