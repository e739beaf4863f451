import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { PNG } from 'pngjs';
import {
  AppPackageError,
  buildAppPackage,
  deriveTeamsAppId,
  fillPlaceholders,
  placeholderNames,
  validateLocalization,
  validateManifest,
  withPackagingDefaults,
} from '../../scripts/app-package';
import { checkIcons, drawColorIcon, drawOutlineIcon } from '../../scripts/icons';

const appPackageDir = join(__dirname, '..', '..', 'appPackage');
const template = JSON.parse(readFileSync(join(appPackageDir, 'manifest.json'), 'utf8')) as Record<
  string,
  unknown
>;
const sampleEnv = {
  TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  BOT_ID: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
  BOT_DOMAIN: 'offboarder.example.com',
};
const filled = fillPlaceholders(template, sampleEnv);

interface CommandList {
  scopes: string[];
  commands: { title: string; description?: string }[];
}
interface Bot {
  botId: string;
  scopes: string[];
  isNotificationOnly: boolean;
  supportsFiles: boolean;
  commandLists: CommandList[];
}

describe('appPackage/manifest.json', () => {
  it('validates against the schema shipped in @microsoft/app-manifest once placeholders are filled', () => {
    expect(template.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${String(template.manifestVersion)}/MicrosoftTeams.schema.json`,
    );
    expect(validateManifest(filled)).toEqual([]);
  });

  it('uses exactly the BOT_ID, BOT_DOMAIN and TEAMS_APP_ID placeholders', () => {
    expect(placeholderNames(template)).toEqual(['BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);
    expect(template.id).toBe('${{TEAMS_APP_ID}}');
    expect(template.validDomains).toEqual(['${{BOT_DOMAIN}}']);
  });

  it('declares one conversational bot in personal, team and group chat scopes', () => {
    const bots = template.bots as Bot[];
    expect(bots).toHaveLength(1);
    const bot = bots[0]!;
    expect(bot.botId).toBe('${{BOT_ID}}');
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.isNotificationOnly).toBe(false);
    expect(bot.supportsFiles).toBe(false);
  });

  it('lists offboard, status and help for every scope, one command list per scope', () => {
    const bot = (template.bots as Bot[])[0]!;
    expect(bot.commandLists.map((l) => l.scopes)).toEqual(
      expect.arrayContaining([['personal'], ['team'], ['groupChat']]),
    );
    expect(bot.commandLists).toHaveLength(3);
    for (const list of bot.commandLists) {
      expect(list.commands.map((c) => c.title)).toEqual(['offboard', 'status', 'pending', 'cancel', 'help']);
      expect(list.commands[0]!.description).toBe('offboard <device name or id> [comment]');
    }
  });

  it('marks the developer details as placeholders to replace', () => {
    const developer = template.developer as Record<string, string>;
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'])
      expect(developer[key]).toContain('REPLACE-ME');
  });
});

describe('appPackage/ru-ru.json', () => {
  const ru = JSON.parse(readFileSync(join(appPackageDir, 'ru-ru.json'), 'utf8')) as Record<string, string>;

  it("is the manifest's one additional language, English being the default", () => {
    expect(template.localizationInfo).toEqual({
      defaultLanguageTag: 'en-us',
      additionalLanguages: [{ languageTag: 'ru-ru', file: 'ru-ru.json' }],
    });
  });

  it("validates against the localization schema, names only strings the manifest has, within Teams' limits", () => {
    expect(validateLocalization(ru, filled)).toEqual([]);
  });

  it('translates the name, the descriptions and every command description, but not the typed command words', () => {
    for (const key of ['name.short', 'name.full', 'description.short', 'description.full'])
      expect(ru[key]).toBeDefined();
    expect(ru['description.full']).toMatch(/[а-яё]/);
    const bot = (template.bots as Bot[])[0]!;
    bot.commandLists.forEach((list, i) =>
      list.commands.forEach((c, j) => {
        expect(ru[`bots[0].commandLists[${i}].commands[${j}].title`]).toBe(c.title);
        expect(ru[`bots[0].commandLists[${i}].commands[${j}].description`]).toMatch(/[а-яё]/i);
      }),
    );
  });

  it('flags keys the manifest lacks, texts over the limits and a schema version mismatch', () => {
    const problems = validateLocalization(
      {
        ...ru,
        $schema:
          'https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.Localization.schema.json',
        'name.short': 'Очень длинное короткое имя приложения',
        'bots[0].commandLists[0].commands[9].title': 'нет',
        'bots[0].commandLists[0].commands[0].description': 'д'.repeat(129),
      },
      filled,
    );
    expect(problems).toEqual([
      "$schema v1.29 does not match the manifest's v1.30",
      '/name.short must NOT have more than 30 characters {"limit":30}',
      'name.short: 37 characters, Teams allows 30',
      'bots[0].commandLists[0].commands[0].description: 129 characters, Teams allows 128',
      'bots[0].commandLists[0].commands[9].title: the manifest has no such string',
    ]);
  });
});

describe('validateManifest', () => {
  it('reports schema errors, a version mismatch and a URL in validDomains', () => {
    const broken = {
      ...filled,
      id: 'not-a-guid',
      manifestVersion: '1.29',
      validDomains: ['https://x.example.com/'],
    };
    const problems = validateManifest(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/id must match pattern/),
        expect.stringMatching(/manifestVersion 1\.29 does not match/),
        expect.stringMatching(/validDomains: "https:\/\/x\.example\.com\/" must be a domain/),
      ]),
    );
  });

  it('refuses a $schema it has no local copy of instead of fetching it', () => {
    expect(() => validateManifest({ ...filled, $schema: 'https://example.com/schema.json' })).toThrow(
      AppPackageError,
    );
  });
});

describe('fillPlaceholders', () => {
  it('names every missing or empty variable in one error', () => {
    let error: unknown;
    try {
      fillPlaceholders(template, { BOT_ID: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppPackageError);
    expect((error as AppPackageError).problems.map((p) => p.split(' ')[0])).toEqual([
      'BOT_DOMAIN',
      'BOT_ID',
      'TEAMS_APP_ID',
    ]);
  });

  it('replaces inside string values, so quotes stay JSON-safe, and allows spaces in the braces', () => {
    const out = fillPlaceholders({ a: ['x-${{ NAME }}-y'], b: 1 }, { NAME: 'say "hi"\\' });
    expect(out).toEqual({ a: ['x-say "hi"\\-y'], b: 1 });
  });
});

describe('TEAMS_APP_ID default', () => {
  it('is a stable version-5 UUID derived from BOT_ID', () => {
    const id = deriveTeamsAppId(sampleEnv.BOT_ID);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deriveTeamsAppId(sampleEnv.BOT_ID.toUpperCase())).toBe(id);
    expect(deriveTeamsAppId('0e7a3f52-1b8c-4d6e-9f01-23456789abcd')).not.toBe(id);
    expect(id).not.toBe(sampleEnv.BOT_ID);
  });

  it('applies only when TEAMS_APP_ID is unset', () => {
    expect(withPackagingDefaults({ BOT_ID: sampleEnv.BOT_ID }).TEAMS_APP_ID).toBe(
      deriveTeamsAppId(sampleEnv.BOT_ID),
    );
    expect(withPackagingDefaults(sampleEnv).TEAMS_APP_ID).toBe(sampleEnv.TEAMS_APP_ID);
    expect(withPackagingDefaults({}).TEAMS_APP_ID).toBeUndefined();
  });
});

describe('icons', () => {
  const color = readFileSync(join(appPackageDir, 'color.png'));
  const outline = readFileSync(join(appPackageDir, 'outline.png'));

  it('color.png is 192×192 and fully opaque', () => {
    const png = PNG.sync.read(color);
    expect([png.width, png.height]).toEqual([192, 192]);
    const alphas = new Set(png.data.filter((_, i) => i % 4 === 3));
    expect([...alphas]).toEqual([255]);
  });

  it('outline.png is 32×32, only white or fully transparent, and not empty', () => {
    const png = PNG.sync.read(outline);
    expect([png.width, png.height]).toEqual([32, 32]);
    let opaque = 0;
    const offWhite: number[] = [];
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
      if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) offWhite.push(i / 4);
      if (a === 255) opaque++;
    }
    expect(offWhite).toEqual([]);
    expect(opaque).toBeGreaterThan(50);
  });

  it('pass checkIcons, which flags swapped icons', () => {
    expect(checkIcons(color, outline)).toEqual([]);
    expect(checkIcons(outline, color).length).toBeGreaterThan(0);
  });

  it('are what scripts/icons.ts draws (pixels, not bytes: zlib versions differ)', () => {
    expect(PNG.sync.read(drawColorIcon()).data.equals(PNG.sync.read(color).data)).toBe(true);
    expect(PNG.sync.read(drawOutlineIcon()).data.equals(PNG.sync.read(outline).data)).toBe(true);
  });
});

/** The zip's entries read back through its central directory (APPNOTE.TXT 4.3.12, 4.3.16). */
function readZip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + size);
    entries.set(name, method === 8 ? inflateRawSync(raw) : raw);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

describe('buildAppPackage', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-package-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('zips the filled manifest, both icons and the Russian language file at the root', async () => {
    const outFile = join(dir, 'nested', 'appPackage.zip');
    const result = await buildAppPackage({ appPackageDir, outFile, env: sampleEnv });
    const entries = readZip(readFileSync(outFile));
    expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png', 'ru-ru.json']);
    expect(entries.get('ru-ru.json')!.equals(readFileSync(join(appPackageDir, 'ru-ru.json')))).toBe(true);
    expect(result.entries).toEqual([...entries.keys()]);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Record<string, unknown>;
    expect(manifest).toEqual(filled);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(entries.get('color.png')!.equals(readFileSync(join(appPackageDir, 'color.png')))).toBe(true);
    expect(entries.get('outline.png')!.equals(readFileSync(join(appPackageDir, 'outline.png')))).toBe(true);
  });

  it('derives TEAMS_APP_ID from BOT_ID when it is not set', async () => {
    const outFile = join(dir, 'appPackage.zip');
    const { BOT_ID, BOT_DOMAIN } = sampleEnv;
    const result = await buildAppPackage({ appPackageDir, outFile, env: { BOT_ID, BOT_DOMAIN } });
    expect(result.manifest.id).toBe(deriveTeamsAppId(BOT_ID));
  });

  it('writes nothing when a variable is missing or the manifest is invalid', async () => {
    const outFile = join(dir, 'appPackage.zip');
    await expect(buildAppPackage({ appPackageDir, outFile, env: {} })).rejects.toThrow(
      /BOT_DOMAIN[\s\S]*BOT_ID/,
    );
    const badBot = { ...sampleEnv, BOT_ID: 'not-a-guid' };
    await expect(buildAppPackage({ appPackageDir, outFile, env: badBot })).rejects.toThrow(
      /botId must match/,
    );
    expect(existsSync(outFile)).toBe(false);
  });
});
