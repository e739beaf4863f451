/**
 * The lines `npm start` prints: in both languages, and every example a newcomer may type
 * parses as the command it stands for (an example that the bot would refuse is a bug).
 */
import { PLAYGROUND_HELP } from '../../sandbox/playground/help';
import { parseCommand } from '../../bot/commands';
import { LOCALES } from '../../bot/i18n';

const examples = (text: string) =>
  text
    .split('\n')
    .map((l) => /^\s+@\S+ (\S+(?: \S+)*?)\s{2,}/.exec(l)?.[1])
    .filter((c): c is string => !!c && !c.includes('…'));

test.each(LOCALES)('%s: every example parses, the bulk clean-up among them', (locale) => {
  const text = PLAYGROUND_HELP('http://127.0.0.1:1', locale);
  const commands = examples(text);
  expect(commands).toEqual(
    expect.arrayContaining(['offboard ws-042 Laptop stolen', 'offboard tag:lab-retired', 'pending']),
  );
  for (const c of commands) expect([c, parseCommand({ text: c }).kind]).not.toEqual([c, 'invalid']);
  expect(parseCommand({ text: 'offboard tag:lab-retired' }).kind).toBe('offboard_bulk');
});

test('the Russian lines are Russian', () => {
  expect(PLAYGROUND_HELP('http://127.0.0.1:1', 'ru')).toMatch(/массовая очистка/);
  expect(PLAYGROUND_HELP('http://127.0.0.1:1', 'en')).toMatch(/a clean-up: 120 lab devices/);
});
