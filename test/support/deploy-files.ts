/**
 * Offline readers for the deployment files (Dockerfile, Bicep, m365agents.yml, dotenv),
 * each just enough for the shape of this repository's files; used by
 * test/unit/deploy-files.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/** KEY=VALUE lines of a dotenv file (comments and blank lines skipped). */
export function dotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)) out.set(m[1]!, m[2]!.trim());
  return out;
}

export interface Stage {
  from: string;
  name?: string;
  /** Instructions with continuation lines joined. */
  lines: string[];
}

export function dockerStages(text: string): { args: Map<string, string>; stages: Stage[] } {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const line of logical) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      const image = from[1]!.replace(/\$\{(\w+)\}/g, (_, n: string) => args.get(n) ?? '');
      stages.push({ from: image, name: from[2], lines: [] });
    } else if (stages.length === 0 && /^ARG\s/i.test(line)) {
      const [k, v] = line.replace(/^ARG\s+/i, '').split('=');
      args.set(k!, v ?? '');
    } else stages.at(-1)?.lines.push(line);
  }
  return { args, stages };
}

/** ENV KEY=VALUE pairs of a stage (this Dockerfile's values have no spaces). */
export function stageEnv(stage: Stage): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stage.lines.filter((l) => /^ENV\s/i.test(l)))
    for (const m of line.replace(/^ENV\s+/i, '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S*)/g))
      out.set(m[1]!, m[2]!);
  return out;
}

export interface BicepSetting {
  name: string;
  kind: 'value' | 'secretRef';
  expression: string;
}

/** `{ name: 'X', value: … }` / `{ name: 'X', secretRef: … }`: the container's environment. */
export function bicepSettings(text: string): BicepSetting[] {
  return [...text.matchAll(/\{\s*name:\s*'([^']+)',\s*(value|secretRef):\s*(.*?)\s*\}/g)].map((m) => ({
    name: m[1]!,
    kind: m[2] as BicepSetting['kind'],
    expression: m[3]!,
  }));
}

export const bicepFiles = (root: string, dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? bicepFiles(root, join(dir, e.name))
      : e.name.endsWith('.bicep')
        ? [join(dir, e.name)]
        : [],
  );

export interface Step {
  uses: string;
  /** Every `key: value` line of the step, flattened (the keys used here are unique per step). */
  fields: Map<string, string>;
}

/** The three lifecycles of m365agents.yml as step lists; enough YAML for this file's shape. */
export function toolkitLifecycles(text: string): Map<string, Step[]> {
  const out = new Map<string, Step[]>();
  let steps: Step[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    const top = /^([a-z]+):\s*$/.exec(line);
    if (top) {
      steps = [];
      out.set(top[1]!, steps);
      continue;
    }
    if (/^\S/.test(line)) steps = undefined;
    if (!steps) continue;
    const uses = /^\s*- uses:\s*(\S+)/.exec(line);
    if (uses) steps.push({ uses: uses[1]!, fields: new Map() });
    const field = /^\s*(?:- )?([A-Za-z]+):\s*(\S.*)$/.exec(line);
    if (field && steps.length > 0) steps.at(-1)!.fields.set(field[1]!, field[2]!.trim());
  }
  return out;
}

/**
 * Files tsc compiles for tsconfig.build.json: its includes plus every local file they
 * import (tsc follows imports outside the includes too). Only the import lists are
 * read (ts.preProcessFile), which is quick; type-checking is `npm run typecheck`'s job.
 */
export function compiledSources(root: string): Set<string> {
  const configPath = join(root, 'tsconfig.build.json');
  const config = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  const queue = ts.parseJsonConfigFileContent(config.config, ts.sys, root).fileNames;
  const seen = new Set<string>();
  const resolve = (from: string, spec: string) =>
    [spec, `${spec}.ts`, join(spec, 'index.ts')]
      .map((candidate) => join(dirname(from), candidate))
      .find((f) => existsSync(f) && !ts.sys.directoryExists(f));
  for (let file = queue.pop(); file; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.ts')) continue;
    for (const imported of ts.preProcessFile(readFileSync(file, 'utf8')).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = resolve(file, imported.fileName);
      if (target) queue.push(target);
    }
  }
  return seen;
}
