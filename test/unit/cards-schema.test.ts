import type * as ACTypes from 'adaptivecards';
import { renderChooseDeviceCard } from '../../cards/choose-device-card';
import { renderRequestCard } from '../../cards/request-card';
import { renderHelpCard } from '../../cards/help-card';
import chooseTemplate from '../../cards/choose-device-card.json';
import requestTemplate from '../../cards/request-card.json';
import helpTemplate from '../../cards/help-card.json';
import { CARD_SCHEMA_VERSION } from '../../cards/render';
import { hostileRequest, HOSTILE_TEXT, machine, NOW, requestFixtures } from '../fakes/requests';

/*
 * Every rendered card goes through the adaptivecards library (the renderer the Teams
 * web client and the Playground are built on) so that a typo in a template fails here:
 * an unknown element or action type, a bad enum value, a property newer than 1.5, a
 * required input without label, and (checked below, since the parser silently drops
 * them) a property the element does not have.
 *
 * Loading: the package's `main` (lib/) is ES-module output with extension-less imports,
 * which neither Node's CommonJS loader nor jest (it does not transform node_modules)
 * can load. dist/ holds the same library as a UMD bundle; it loads in Node without a
 * DOM, because parsing and validation never touch `document` (only render() does).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC: typeof ACTypes = require('adaptivecards/dist/adaptivecards.js');

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys the library parses by hand (not in an element's property schema). */
const STRUCTURAL_KEYS = new Set(['body', 'actions', 'items', 'columns', 'inlines', 'card', 'fallback']);
/** Action data is whatever the bot wants back: no schema. */
const FREE_FORM_KEYS = new Set(['data']);

function schemaNames(object: ACTypes.SerializableObject): Set<string> {
  const schema = object.getSchema();
  const names = new Set<string>(STRUCTURAL_KEYS);
  for (let i = 0; i < schema.getCount(); i++) names.add(schema.getItemAt(i).name);
  return names;
}

function instanceFor(node: Json, parentKey: string): ACTypes.SerializableObject | undefined {
  const { type } = node;
  if (typeof type !== 'string') {
    if (parentKey === 'facts') return new AC.Fact();
    if (parentKey === 'choices') return new AC.Choice();
    return undefined;
  }
  if (type === 'AdaptiveCard') return new AC.AdaptiveCard();
  if (type === 'Column') return new AC.Column();
  if (type === 'TextRun') return new AC.TextRun();
  return (
    AC.GlobalRegistry.elements.createInstance(type, AC.Versions.v1_5) ??
    AC.GlobalRegistry.actions.createInstance(type, AC.Versions.v1_5)
  );
}

/** Properties the element's schema does not know: the parser drops them without a word. */
function unknownProperties(node: unknown, path: string, parentKey = ''): string[] {
  if (Array.isArray(node))
    return node.flatMap((item, i) => unknownProperties(item, `${path}[${i}]`, parentKey));
  if (!isObject(node)) return [];
  const instance = instanceFor(node, parentKey);
  const known = instance ? schemaNames(instance) : undefined;
  const label = typeof node.type === 'string' ? node.type : parentKey;
  return Object.entries(node).flatMap(([key, value]) => [
    ...(known && !known.has(key) ? [`${path}.${key}: unknown property of ${label}`] : []),
    ...(FREE_FORM_KEYS.has(key) ? [] : unknownProperties(value, `${path}.${key}`, key)),
  ]);
}

/** Every problem the library finds in a card, targeting schema 1.5 (what Teams renders). */
function cardProblems(json: unknown): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const problems: string[] = [];
  // Guards the guard: a card the library read as empty would validate trivially.
  const raw = json as { body?: unknown[]; actions?: unknown[] };
  if (card.getItemCount() !== (raw.body?.length ?? 0)) problems.push('parse: body elements were dropped');
  if (card.getActionCount() !== (raw.actions?.length ?? 0)) problems.push('parse: actions were dropped');
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return [...problems, ...unknownProperties(json, '$')];
}

const STATES = [...new Set(Object.values(requestFixtures()).map((r) => r.state))];

const card = (body: unknown[], actions: unknown[] = []) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body,
  actions,
});

describe('the card validator catches template typos', () => {
  it.each([
    ['an unknown element type', card([{ type: 'TextBlok', text: 'x' }]), /Unknown element type "TextBlok"/],
    ['an unknown action type', card([], [{ type: 'Action.Exec', title: 'x' }]), /Unknown action type/],
    [
      'an unknown property',
      card([{ type: 'TextBlock', text: 'x', wrapp: true }]),
      /\.wrapp: unknown property/,
    ],
    [
      'a bad enum value',
      card([{ type: 'TextBlock', text: 'x', weight: 'heavy' }]),
      /"heavy" for property "weight"/,
    ],
    [
      'a property newer than 1.5',
      card([{ type: 'Input.Text', id: 'a', label: 'A', labelPosition: 'inline' }]),
      /"labelPosition" is supported in version 1.6/,
    ],
    [
      'a required input without a label',
      card([{ type: 'Input.Text', id: 'a', isRequired: true, errorMessage: 'e' }]),
      /Required inputs should have a label/,
    ],
    [
      'a typo inside a ShowCard',
      card(
        [],
        [{ type: 'Action.ShowCard', title: 's', card: { type: 'AdaptiveCard', body: [{ type: 'Txt' }] } }],
      ),
      /Unknown element type "Txt"/,
    ],
    [
      'a typo in a fact',
      card([{ type: 'FactSet', facts: [{ title: 't', vaule: 'v' }] }]),
      /\.vaule: unknown/,
    ],
  ])('%s', (_what, json, expected) => {
    expect(cardProblems(json).join('\n')).toMatch(expected);
  });

  it('accepts a valid card', () => {
    expect(cardProblems(card([{ type: 'TextBlock', text: 'x', wrap: true }]))).toEqual([]);
  });
});

describe('every rendered card is valid Adaptive Card 1.5', () => {
  it('templates declare the version Teams supports', () => {
    expect(requestTemplate.version).toBe(CARD_SCHEMA_VERSION);
    expect(chooseTemplate.version).toBe(CARD_SCHEMA_VERSION);
    expect(helpTemplate.version).toBe(CARD_SCHEMA_VERSION);
  });

  it.each(Object.entries(requestFixtures()))('request card: %s', (_name, request) => {
    expect(cardProblems(renderRequestCard(request, { now: NOW }))).toEqual([]);
  });

  it.each(STATES)('request card with hostile text: %s', (state) => {
    expect(cardProblems(renderRequestCard(hostileRequest(state), { now: NOW }))).toEqual([]);
  });

  it('choose-device card, capped list', () => {
    const machines = Array.from({ length: 12 }, (_, i) =>
      machine({ id: `id-${i}`, computerDnsName: `ws-04${i}` }),
    );
    expect(cardProblems(renderChooseDeviceCard(HOSTILE_TEXT, machines, { now: NOW }))).toEqual([]);
  });

  it.each(Object.entries(requestFixtures()))('request card in Russian: %s', (_name, request) => {
    expect(cardProblems(renderRequestCard(request, { now: NOW, locale: 'ru' }))).toEqual([]);
  });

  it('choose-device and help cards in Russian', () => {
    const machines = Array.from({ length: 12 }, (_, i) => machine({ id: `id-${i}` }));
    expect(cardProblems(renderChooseDeviceCard('ws', machines, { now: NOW, locale: 'ru' }))).toEqual([]);
    const roles = { requester: true, approver: true, rules: [HOSTILE_TEXT] };
    expect(cardProblems(renderHelpCard(roles, { locale: 'ru' }))).toEqual([]);
  });

  it.each([true, false])('help card (requester: %s)', (requester) => {
    const card = renderHelpCard({ requester, approver: !requester, rules: [HOSTILE_TEXT] });
    expect(cardProblems(card)).toEqual([]);
  });
});
