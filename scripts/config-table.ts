import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The README's configuration table is generated from .env.sample, the single place
 * settings are documented; a test fails when the two differ. `npm run docs:config`
 * rewrites the table between the markers.
 */
export const START = '<!-- config:start (generated from .env.sample by npm run docs:config) -->';
export const END = '<!-- config:end -->';

interface Setting {
  group: string;
  key: string;
  value: string;
  doc: string;
}

export function parseEnvSample(text: string): Setting[] {
  const out: Setting[] = [];
  let group = '';
  let doc: string[] = [];
  for (const line of text.split('\n')) {
    const header = /^# --- (.+) ---$/.exec(line);
    if (header) {
      group = header[1]!;
      doc = [];
    } else if (line.startsWith('#')) {
      doc.push(line.replace(/^#\s?/, ''));
    } else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) {
      const [key, ...rest] = line.split('=');
      out.push({ group, key: key!, value: rest.join('='), doc: doc.join(' ') });
      // Passthrough keys share one comment: only the first gets it.
      if (!/pass through/.test(doc.join(' '))) doc = [];
    } else if (!line.trim()) {
      doc = [];
    }
  }
  return out;
}

export function configTable(text: string): string {
  const rows = parseEnvSample(text);
  const lines = [START, '', '| Setting | Default | What it does |', '| --- | --- | --- |'];
  let lastDoc = '';
  for (const s of rows) {
    const doc = s.doc === lastDoc ? '(Bot Framework setting, passed through unchanged)' : s.doc;
    lastDoc = s.doc;
    const esc = (t: string) => t.replace(/\|/g, '\\|');
    lines.push(
      `| \`${s.key}\` | ${s.value ? `\`${esc(s.value)}\`` : '—'} | ${esc(s.group ? `_${s.group}._ ${doc}` : doc)} |`,
    );
  }
  lines.push('', END);
  return lines.join('\n');
}

export function withTable(readme: string, table: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error('README.md lacks the config table markers');
  return readme.slice(0, a) + table + readme.slice(b + END.length);
}

if (require.main === module) {
  const root = join(__dirname, '..');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const table = configTable(readFileSync(join(root, '.env.sample'), 'utf8'));
  writeFileSync(join(root, 'README.md'), withTable(readme, table));
  console.log('README.md configuration table updated from .env.sample');
}
