import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The layering rules of eslint.config.mjs (docs/architecture.md, "Layers") fail on
 * a deliberate violation and stay quiet on the allowed direction. ESLint loads its
 * config with a dynamic import, which jest's sandbox cannot do, so one child
 * process lints every case and answers in JSON.
 */
const ROOT = resolve(__dirname, '../..');
const LINT_ALL = `
const { ESLint } = require('eslint');
const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const [file, code] of cases) {
    const [r] = await eslint.lintText(code, { filePath: require('node:path').resolve(file) });
    out.push(r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

let answers: Map<string, string[]>;
const key = (file: string, code: string) => `${file}\n${code}`;
const restricted = (file: string, code: string) => answers.get(key(file, code))!;

const violations: Array<[file: string, code: string, why: RegExp]> = [
  ['bot/runtime.ts', "import { SIM } from '../sandbox/defender';", /must not import sandbox/],
  ['bot/offboarding/x.ts', "import { run } from '../../bench/lib/load';", /must not import sandbox\/, bench/],
  ['bot/teams/x.ts', "import { h } from '../../test/fakes/harness';", /must not import/],
  ['bot/store/x.ts', "import { main } from '../../scripts/audit';", /must not import/],
  ['bot/request/x.ts', "import { VERBS } from '../../cards/verbs';", /does not depend on presentation/],
  ['bot/commands/x.ts', "import { TurnContext } from 'botbuilder';", /Teams SDK/],
  ['bot/request/x.ts', "import fs from 'node:fs';", /no I\/O/],
  ['bot/request/x.ts', "import { openStore } from '../store/sqlite';", /no I\/O/],
  ['bot/offboarding/x.ts', "import { Application } from '@microsoft/teams-ai';", /Teams SDK/],
  ['bot/offboarding/x.ts', "import { chatErrorText } from '../teams/chat-errors';", /presentation/],
  ['cards/x.ts', "import { Executor } from '../bot/offboarding/executor';", /domain types only/],
  ['cards/x.ts', "import { openSqliteStore } from '../bot/store';", /domain types only/],
  ['cards/x.ts', "import { CardFactory } from 'botbuilder';", /Teams SDK/],
  ['bot/i18n/x.ts', "import { readFileSync } from 'node:fs';", /no I\/O/],
  ['bot/i18n/x.ts', "import { renderRequestCard } from '../../cards/request-card';", /presentation/],
];

beforeAll(() => {
  const cases = [...violations.map(([f, c]) => [f, c]), ...allowed];
  const run = spawnSync(process.execPath, ['-e', LINT_ALL], { cwd: ROOT, input: JSON.stringify(cases) });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  const results = JSON.parse(run.stdout.toString()) as string[][];
  answers = new Map(cases.map(([f, c], i) => [key(f!, c!), results[i]!]));
});

test.each(violations)('%s: %s is refused', (file, code, why) => {
  const messages = restricted(file, code);
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatch(why);
});

const allowed: Array<[file: string, code: string]> = [
  ['cards/x.ts', "import type { OffboardRequest } from '../bot/request/model';"],
  ['cards/x.ts', "import { COMMENT_MAX } from '../bot/request/limits';"],
  ['cards/x.ts', "import type { Machine } from '../bot/defender/types';"],
  ['cards/x.ts', "import { translator } from '../bot/i18n';"],
  ['bot/request/x.ts', "import type { Machine } from '../defender/types';"],
  ['bot/offboarding/x.ts', "import { findOffboard } from '../defender/offboard';"],
  ['bot/teams/x.ts', "import { renderRequestCard } from '../../cards/request-card';"],
  ['index.ts', "const s = import('./sandbox/runtime');"],
];

test.each(allowed)('%s: %s is allowed', (file, code) => {
  expect(restricted(file, code)).toEqual([]);
});
