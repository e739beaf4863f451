import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { killAllChildBots, startChildBot } from '../fakes/child-bot';

/**
 * What the real entry point loads (docs/start-up.md): only what this configuration uses.
 * The child bot runs with a preload that prints, on exit, every npm package it loaded.
 */
const PRELOAD = join(__dirname, '..', 'support', 'loaded-packages.js');
const POLICY_EXAMPLE = join(__dirname, '..', '..', 'policy.example.yaml');

interface Loaded {
  packages: string[];
  teamsAi: string[];
}

const dirs: string[] = [];
afterAll(async () => {
  await killAllChildBots();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function loadedBy(env: Record<string, string>): Promise<Loaded> {
  const dataDir = mkdtempSync(join(tmpdir(), 'offboarder-modules-'));
  dirs.push(dataDir);
  const bot = await startChildBot({
    env: {
      PLAYGROUND: 'false',
      PORT: '0',
      SIMULATOR_PORT: '0',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      ...env,
    },
    nodeArgs: ['--require', PRELOAD],
    readyTimeoutMs: 60_000,
  });
  expect(await bot.stop()).toBe(0);
  const line = bot.lines.find((l) => l.startsWith('loaded-packages '));
  if (!line) throw new Error(`no loaded-packages line in:\n${bot.lines.join('\n')}`);
  return JSON.parse(line.slice('loaded-packages '.length)) as Loaded;
}

describe('start-up loads what the configuration uses', () => {
  it('a SQLite bot with no policy file loads neither the pg driver nor the YAML parser, and none of Teams AI beyond its adapter', async () => {
    const { packages, teamsAi } = await loadedBy({});
    expect(packages).not.toContain('pg');
    expect(packages).not.toContain('yaml');
    // Teams AI's index would bring its planners, the tokenizer tables and botbuilder-dialogs.
    expect(packages).not.toContain('botbuilder-dialogs');
    expect(packages).not.toContain('gpt-tokenizer');
    expect(teamsAi.filter((f) => f.endsWith('.js')).sort()).toEqual(['lib/TeamsAdapter.js']);
    // The card engine is ready before the port opens, not left to the first card.
    expect(packages).toEqual(expect.arrayContaining(['adaptivecards-templating', 'adaptive-expressions']));
  }, 90_000);

  it('POLICY_FILE loads the YAML parser', async () => {
    const { packages } = await loadedBy({ POLICY_FILE: POLICY_EXAMPLE });
    expect(packages).toContain('yaml');
    expect(packages).not.toContain('pg');
  }, 90_000);
});
