import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configTable, END, START } from '../../scripts/config-table';

const root = join(__dirname, '../..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');

describe('README', () => {
  it('opens with the two commands a newcomer runs', () => {
    const head = read('README.md').split('\n').slice(0, 6).join('\n');
    expect(head).toContain('npm install && npm start');
    expect(head).toContain('npm test');
  });

  it('has the configuration table generated from .env.sample (run npm run docs:config)', () => {
    const readme = read('README.md');
    const current = readme.slice(readme.indexOf(START), readme.indexOf(END) + END.length);
    expect(current).toBe(configTable(read('.env.sample')));
  });

  it('.ci/run runs exactly the README test command after a clean install', () => {
    const ci = read('.ci/run');
    expect(ci).toMatch(/^npm ci /m);
    const commands = ci.split('\n').filter((l) => /^npm /.test(l.trim()) || /\| tee/.test(l));
    expect(commands).toEqual(['npm ci --no-audit --no-fund', 'npm test 2>&1 | tee .tmp/ci-test.log']);
  });
});
