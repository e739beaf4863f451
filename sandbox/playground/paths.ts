/**
 * Where one Playground instance keeps its files: all inside the project, under the
 * git-ignored .tmp/, one folder per port so `npm start` and the browser test can run
 * side by side without sharing a log or a recording.
 */
import { join } from 'node:path';

export function playgroundFiles(projectDir: string, port: number) {
  const dir = join(projectDir, '.tmp', 'playground', String(port));
  return {
    dir,
    /** The Playground's TMPDIR (its telemetry retry cache would otherwise land in /tmp). */
    tmp: join(dir, 'tmp'),
    config: join(dir, 'm365agentsplayground.yml'),
    log: join(dir, 'm365agentsplayground.log'),
    /** The Playground's own record of every activity (--enable-events-recording); act-as reads it. */
    recording: join(dir, 'events.log'),
  };
}

export const DEFAULT_PLAYGROUND_PORT = 56150;

/** The project root: this file lives in <root>/sandbox/playground. */
export const PROJECT_DIR = join(__dirname, '..', '..');
