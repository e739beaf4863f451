// One linter config. The layering rule from docs: the pure core and the use cases
// never import the Teams SDK, HTTP servers or msal (docs/architecture.md, "Layers").
// test/unit/lint-boundaries.test.ts proves each rule fails on a violation.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdk = [
  {
    group: ['botbuilder', 'botbuilder-*', 'botframework-*', '@microsoft/teams-ai'],
    message: 'Teams SDK belongs in bot/teams only.',
  },
  { group: ['restify', '@azure/msal-node'], message: 'HTTP servers and msal belong at the edges.' },
];
// Production code never loads the simulator, benchmarks, scripts or tests.
const outsideBot = [
  {
    group: ['**/sandbox', '**/sandbox/**', '**/bench/**', '**/scripts/**', '**/test/**'],
    message: 'bot/ must not import sandbox/, bench/, scripts/ or test/ (index.ts wires the sandbox).',
  },
];
const io = [
  {
    group: [
      'fs',
      'node:fs',
      'http',
      'node:http',
      'https',
      'node:https',
      'better-sqlite3',
      'pg',
      '**/store/*',
      '**/defender/*',
      // Type-only modules describe data, not I/O.
      '!**/defender/types',
      '!**/store/types',
    ],
    message: 'The pure core does no I/O.',
  },
];
const presentation = [
  { group: ['**/cards/**', '**/teams/**'], message: 'The domain does not depend on presentation.' },
];
// Cards render domain data: the request model, the parser's types and Defender's data
// types, in words from the message catalogues.
const domainOnly = [
  ...sdk,
  {
    regex: '(^|/)bot/(?!request/|commands$|commands/types$|defender/types$|i18n$|i18n/)',
    message: 'cards/ may import domain types only (bot/request, bot/commands, bot/defender/types, bot/i18n).',
  },
];
const restrict = (...lists) => ({ 'no-restricted-imports': ['error', { patterns: lists.flat() }] });

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
  // Flat config: the last block that matches a file sets its rule, so each lists all it forbids.
  { files: ['bot/**/*.ts'], rules: restrict(outsideBot) },
  { files: ['bot/offboarding/**/*.ts'], rules: restrict(outsideBot, sdk, presentation) },
  {
    files: ['bot/request/**/*.ts', 'bot/commands/**/*.ts', 'bot/i18n/**/*.ts'],
    rules: restrict(outsideBot, sdk, io, presentation),
  },
  { files: ['cards/**/*.ts'], rules: restrict(domainOnly) },
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
);
