/**
 * The Teams app package, as functions: fill the `${{NAME}}` placeholders, validate the
 * manifest against the schema shipped in @microsoft/app-manifest (never fetched), check
 * the icons, zip. `scripts/package-app.ts` is the CLI; the tests call these directly.
 * Package layout: https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ZipFile } from 'yazl';
import { checkIcons } from './icons';

/** The Microsoft 365 Agents Toolkit placeholder syntax, `${{NAME}}` (spaces inside allowed). */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export type Env = Readonly<Record<string, string | undefined>>;

export class AppPackageError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(`${message}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AppPackageError';
  }
}

/** Every placeholder name used anywhere in the manifest's string values, sorted, once each. */
export function placeholderNames(value: unknown): string[] {
  const names = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) names.add(m[1]!);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return [...names].sort();
}

const MISSING_HINTS: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: '; derived from BOT_ID when BOT_ID is set',
};

/**
 * Replaces placeholders inside string values of the parsed JSON (not in the raw text), so
 * a value with a quote or a backslash cannot break the JSON. Throws one error naming every
 * variable that is unset or empty.
 */
export function fillPlaceholders<T>(value: T, env: Env): T {
  const missing = placeholderNames(value).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new AppPackageError(
      'Set these environment variables to build the app package',
      missing.map((name) => `${name} (used as \${{${name}}} in manifest.json)${MISSING_HINTS[name] ?? ''}`),
    );
  }
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(PLACEHOLDER, (_, name: string) => env[name]!);
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(value) as T;
}

/** A fixed namespace for Offboarder's name-based UUIDs (generated once; never change it). */
const APP_ID_NAMESPACE = '5f0a4a1e-6c3b-4c1e-9a77-0b3f2d8e41c6';

/** RFC 9562 UUIDv5: the same BOT_ID always gives the same Teams app id. */
export function deriveTeamsAppId(botId: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(APP_ID_NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(botId.trim().toLowerCase(), 'utf8')
    .digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * TEAMS_APP_ID defaults to a UUID derived from BOT_ID. The Agents Toolkit's `teamsApp/create`
 * writes a real one into env/.env.*, and a set value always wins; for a hand-built package
 * a stable id means uploading a new build updates the same app instead of adding a twin.
 */
export function withPackagingDefaults(env: Env): Env {
  if (env.TEAMS_APP_ID || !env.BOT_ID) return env;
  return { ...env, TEAMS_APP_ID: deriveTeamsAppId(env.BOT_ID) };
}

const SCHEMA_URL = /\/json-schemas\/teams\/(v1\.\d+|vDevPreview)\/MicrosoftTeams\.schema\.json$/;
const appManifestRoot = dirname(require.resolve('@microsoft/app-manifest/package.json'));

/** The schema file named by the manifest's `$schema`, from the installed package (no network). */
export function loadManifestSchema(schemaUrl: unknown): object {
  const version = typeof schemaUrl === 'string' ? SCHEMA_URL.exec(schemaUrl)?.[1] : undefined;
  if (!version) throw new AppPackageError('Unsupported $schema', [String(schemaUrl)]);
  const file = join(appManifestRoot, 'build', 'json-schemas', 'teams', version, 'MicrosoftTeams.schema.json');
  // Same clean-up the package applies: some schemas carry `\a`/`\v` regex escapes.
  const raw = readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return JSON.parse(raw) as object;
}

interface SchemaError {
  instancePath: string;
  message?: string;
  params?: unknown;
}
interface Ajv {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
}

/**
 * What `AppManifestUtils.validateAgainstSchema` does (the Agents Toolkit's validator): the
 * Teams schemas are draft-04, so ajv-draft-04 plus ajv-formats, resolved from inside
 * @microsoft/app-manifest so the versions are the ones it ships with. Not its index itself:
 * that requires the ESM-only strip-bom, which jest cannot load on Node 20.
 */
function compileSchema(schema: object, options: object = {}): ReturnType<Ajv['compile']> {
  const load = createRequire(join(appManifestRoot, 'package.json'));
  const AjvDraft04 = (load('ajv-draft-04') as { default: new (o: object) => Ajv }).default;
  const addFormats = (load('ajv-formats') as { default: (ajv: Ajv, formats: string[]) => void }).default;
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false, ...options });
  addFormats(ajv, ['uri', 'email', 'regex']);
  return ajv.compile(schema);
}

/** ajv's params name the offending property or the allowed values; a pattern is already in the message. */
const detail = (params: unknown): string =>
  params && typeof params === 'object' && !('pattern' in params) ? ` ${JSON.stringify(params)}` : '';

/** Schema errors plus Teams rules the schema lacks; empty when the manifest is valid. */
export function validateManifest(manifest: Record<string, unknown>): string[] {
  const validate = compileSchema(loadManifestSchema(manifest.$schema));
  const problems: string[] = [];
  if (!validate(manifest))
    for (const e of validate.errors ?? [])
      problems.push(`${e.instancePath || '/'} ${e.message ?? 'is invalid'}${detail(e.params)}`);
  const version = /\/(v1\.\d+)\//.exec(String(manifest.$schema))?.[1];
  if (version && manifest.manifestVersion !== version.slice(1))
    problems.push(`manifestVersion ${String(manifest.manifestVersion)} does not match $schema ${version}`);
  // validDomains holds domains ("can include wildcards, for example `*.example.com`", schema
  // description), not URLs. A BOT_DOMAIN pasted as https://host/ passes the schema; catch it here.
  const domains = Array.isArray(manifest.validDomains) ? manifest.validDomains : [];
  for (const d of domains)
    if (String(d).includes('/')) problems.push(`validDomains: "${String(d)}" must be a domain, not a URL`);
  return problems;
}

const LOCALIZATION_SCHEMA_URL =
  /\/json-schemas\/teams\/(v1\.\d+|vDevPreview)\/MicrosoftTeams\.Localization\.schema\.json$/;

/** The localization schema of the manifest's version, from the installed package (no network). */
export function loadLocalizationSchema(schemaUrl: unknown): object {
  const version = typeof schemaUrl === 'string' ? LOCALIZATION_SCHEMA_URL.exec(schemaUrl)?.[1] : undefined;
  if (!version) throw new AppPackageError('Unsupported localization $schema', [String(schemaUrl)]);
  const file = join(
    appManifestRoot,
    'build',
    'json-schemas',
    'teams',
    version,
    'MicrosoftTeams.Localization.schema.json',
  );
  return JSON.parse(readFileSync(file, 'utf8')) as object;
}

/**
 * Teams' own limits for the strings a language file replaces: the manifest schema's, which
 * for bot commands are stricter (32 and 128) than the localization schema's.
 */
const LOCALIZED_LIMITS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^name\.short$/, 30],
  [/^name\.full$/, 100],
  [/^description\.short$/, 80],
  [/^description\.full$/, 4000],
  [/^bots\[\d+\]\.commandLists\[\d+\]\.commands\[\d+\]\.title$/, 32],
  [/^bots\[\d+\]\.commandLists\[\d+\]\.commands\[\d+\]\.description$/, 128],
];

/** `bots[0].commandLists[1].commands[2].title` → the manifest's value there, if any. */
function valueAt(manifest: unknown, key: string): unknown {
  let at: unknown = manifest;
  for (const part of key.match(/[^.[\]]+/g) ?? []) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/**
 * A language file (localizationInfo.additionalLanguages): valid against the localization
 * schema of the manifest's version, every key naming a string the manifest has, every text
 * within Teams' limits for that string.
 */
export function validateLocalization(
  file: Record<string, unknown>,
  manifest: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  const version = /\/(v1\.\d+)\//.exec(String(manifest.$schema))?.[1];
  const fileVersion = /\/(v1\.\d+)\//.exec(String(file.$schema))?.[1];
  if (version !== fileVersion)
    problems.push(`$schema ${String(fileVersion)} does not match the manifest's ${String(version)}`);
  // Its key patterns have a bare `]`, which only non-Unicode regular expressions accept.
  const validate = compileSchema(loadLocalizationSchema(file.$schema), { unicodeRegExp: false });
  if (!validate(file))
    for (const e of validate.errors ?? [])
      problems.push(`${e.instancePath || '/'} ${e.message ?? 'is invalid'}${detail(e.params)}`);
  for (const [key, text] of Object.entries(file)) {
    if (key === '$schema') continue;
    if (typeof valueAt(manifest, key) !== 'string') problems.push(`${key}: the manifest has no such string`);
    const limit = LOCALIZED_LIMITS.find(([re]) => re.test(key))?.[1];
    if (limit === undefined) problems.push(`${key}: not a string Offboarder localizes`);
    else if (typeof text === 'string' && [...text].length > limit)
      problems.push(`${key}: ${[...text].length} characters, Teams allows ${limit}`);
  }
  return problems;
}

/** The language files the manifest names, read from the package folder. */
function languageFiles(manifest: Record<string, unknown>): string[] {
  const info = manifest.localizationInfo as { additionalLanguages?: Array<{ file: string }> } | undefined;
  return (info?.additionalLanguages ?? []).map((l) => l.file);
}

export interface BuildResult {
  outFile: string;
  entries: string[];
  manifest: Record<string, unknown>;
}

/** Fills, validates and zips `manifest.json`, its two icons and its language files at the zip root. */
export async function buildAppPackage(opts: {
  appPackageDir: string;
  outFile: string;
  env: Env;
}): Promise<BuildResult> {
  const manifestPath = join(opts.appPackageDir, 'manifest.json');
  const template = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  const manifest = fillPlaceholders(template, withPackagingDefaults(opts.env));
  const manifestProblems = validateManifest(manifest);
  if (manifestProblems.length > 0) throw new AppPackageError('manifest.json is not valid', manifestProblems);
  // Valid per the schema, so both icon paths are strings.
  const icons = manifest.icons as { color: string; outline: string };
  const color = readFileSync(join(opts.appPackageDir, icons.color));
  const outline = readFileSync(join(opts.appPackageDir, icons.outline));
  const iconProblems = checkIcons(color, outline);
  if (iconProblems.length > 0)
    throw new AppPackageError('The icons break the Teams icon rules', iconProblems);

  const languages: [string, Buffer][] = [];
  for (const name of languageFiles(manifest)) {
    const data = readFileSync(join(opts.appPackageDir, name));
    const problems = validateLocalization(
      JSON.parse(data.toString('utf8')) as Record<string, unknown>,
      manifest,
    );
    if (problems.length > 0) throw new AppPackageError(`${name} is not valid`, problems);
    languages.push([name, data]);
  }

  const files: [string, Buffer][] = [
    ['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)],
    [icons.color, color],
    [icons.outline, outline],
    ...languages,
  ];
  const zip = new ZipFile();
  // A fixed timestamp makes the zip a pure function of its inputs (same input, same bytes).
  for (const [name, data] of files) zip.addBuffer(data, name, { mtime: new Date(Date.UTC(2020, 0, 1)) });
  zip.end();
  mkdirSync(dirname(opts.outFile), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(opts.outFile);
    out.on('close', resolve).on('error', reject);
    zip.outputStream.on('error', reject).pipe(out);
  });
  return { outFile: opts.outFile, entries: files.map(([name]) => name), manifest };
}
