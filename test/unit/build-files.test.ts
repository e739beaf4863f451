import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as ts from 'typescript';

/**
 * `npm run build` (tsconfig.build.json) must put every file the running code loads into
 * dist/, JavaScript ones too: the sandbox starts the Playground with
 * sandbox/playground/preload.js from the compiled folder (process.ts), and without it a
 * built bot in sandbox mode could not start the Playground.
 */
const ROOT = join(__dirname, '..', '..');

it('compiles every JavaScript file of the bot, the cards and the sandbox into dist/', () => {
  const read = ts.readConfigFile(join(ROOT, 'tsconfig.build.json'), (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT);
  const tracked = execFileSync('git', ['ls-files', 'bot/*.js', 'cards/*.js', 'sandbox/*.js'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  expect(tracked).toContain('sandbox/playground/preload.js');
  expect(parsed.options.allowJs).toBe(true);
  for (const file of tracked) expect(parsed.fileNames).toContain(join(ROOT, file));
});
