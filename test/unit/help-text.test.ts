/**
 * The chat `help` text (sent when the card cannot be: no identity, an unknown word) names the
 * bulk forms and `status … failed` with their examples, in both languages (docs/bulk.md).
 */
import { helpText } from '../../bot/commands/help';
import { LOCALES, translator } from '../../bot/i18n';

const EXAMPLES = [
  'offboard ws-1, ws-2',
  'offboard tag:lab-retired inactive:30d',
  'status OFB-7K2MXQ40 failed',
];

describe.each(LOCALES)('help text in %s', (locale) => {
  const text = helpText(translator(locale));

  it('shows the list and selector forms and `status … failed`, each with an example', () => {
    for (const example of EXAMPLES) expect(text).toContain(`\`${example}`);
    expect(text).toMatch(/`offboard \{[^}]+\}, \{[^}]+\}, … \[[^\]]+\]`/u);
    expect(text).toMatch(/`offboard tag:\{[^}]+\} group:"\{[^}]+\}" inactive:\{N\}d \[[^\]]+\]`/u);
    expect(text).toMatch(/`status \{[^}]+\} failed`/u);
  });

  it('leaves no placeholder unfilled', () => {
    expect(text).not.toMatch(/\{\{|\}\}|\{(comment|requestId|deviceGroup|max)\}/u);
  });
});

test('the English bulk examples are the ones the docs use', () => {
  const text = helpText(translator('en'));
  expect(text).toContain('`offboard ws-1, ws-2 retired lab`');
  expect(text).toContain('`offboard tag:lab-retired inactive:30d decommissioned`');
});
