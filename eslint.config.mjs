// One linter config. The layering rule from docs: the pure core and the use cases
// never import the Teams SDK, HTTP servers or msal (architecture.md, "Layers").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdkImports = {
  patterns: [
    {
      group: ['botbuilder', 'botbuilder-*', 'botframework-*', '@microsoft/teams-ai'],
      message: 'Teams SDK belongs in bot/teams only.',
    },
    { group: ['restify', '@azure/msal-node'], message: 'HTTP servers and msal belong at the edges.' },
  ],
};
const ioImports = {
  patterns: [
    ...sdkImports.patterns,
    {
      group: [
        'fs',
        'node:fs',
        'http',
        'node:http',
        'https',
        'node:https',
        'better-sqlite3',
        '**/store/*',
        '**/defender/*',
        // Type-only modules describe data, not I/O.
        '!**/defender/types',
        '!**/store/types',
      ],
      message: 'The pure core does no I/O.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'data/**',
      'devTools/**',
      'coverage/**',
      'appPackage/build/**',
      '**/*.js',
      '**/*.mjs',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['bot/offboarding/**/*.ts'], rules: { 'no-restricted-imports': ['error', sdkImports] } },
  {
    files: ['bot/approval/**/*.ts', 'bot/commands/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', ioImports] },
  },
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
);
