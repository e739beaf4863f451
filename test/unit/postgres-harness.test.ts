import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPostgresBin } from '../support/postgres-server';

/** The test server's binaries: found on PATH or in Debian's folders, else a failure with the fix. */
describe('findPostgresBin', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offboarder-pgbin-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const touch = (...parts: string[]) => {
    fs.mkdirSync(path.join(dir, ...parts.slice(0, -1)), { recursive: true });
    fs.writeFileSync(path.join(dir, ...parts), '');
  };

  it('prefers PATH, then the newest /usr/lib/postgresql/<version>/bin', () => {
    touch('lib', '9', 'bin', 'initdb');
    touch('lib', '16', 'bin', 'initdb');
    touch('lib', '15', 'bin', 'initdb');
    expect(findPostgresBin({ PATH: '/nonexistent' }, path.join(dir, 'lib'))).toBe(
      path.join(dir, 'lib', '16', 'bin'),
    );
    touch('path', 'initdb');
    touch('path', 'pg_ctl');
    expect(findPostgresBin({ PATH: path.join(dir, 'path') }, path.join(dir, 'lib'))).toBe(
      path.join(dir, 'path'),
    );
  });

  it('fails (never skips) with the install hint when there is no server, saying so under CI', () => {
    expect(() => findPostgresBin({ PATH: '' }, path.join(dir, 'none'))).toThrow(
      /^PostgreSQL.*apt-get install postgresql/,
    );
    expect(() => findPostgresBin({ PATH: '', CI: 'true' }, path.join(dir, 'none'))).toThrow(
      /^CI: .*\.ci\/run.*never skip/,
    );
  });
});
