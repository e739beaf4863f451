import * as ACData from 'adaptivecards-templating';
import { chooseDeviceCardView } from '../../cards/choose-device-card';
import { loadTemplate } from '../../cards/render';
import { requestCardView } from '../../cards/request-view';
import requestTemplate from '../../cards/request-card.json';
import chooseTemplate from '../../cards/choose-device-card.json';
import helpTemplate from '../../cards/help-card.json';
import { helpCardView, type HelpRoles } from '../../cards/help-card';
import { HOSTILE, hostileRequest, machine, NOW, requestFixtures } from '../fakes/requests';

/**
 * cards/render.ts compiles the part of Adaptive Card Templating our templates use.
 * Here the library itself expands the same templates with the same view-models, and
 * the two cards must be equal: every fixture state, hostile text, and the
 * several-matches card with none, one and more than ten devices.
 */
const OPTS = { now: NOW };

/** The one deliberate difference: `${x != ''}` with x missing is false for us (so an
 * approval without a note shows none); the library finds it true and then shows the
 * literal `${note}`. Its side gets the empty notes the view leaves out. */
function withEmptyNotes(view: ReturnType<typeof requestCardView>) {
  const list = view.approvals.list.map((a) => ({ note: '', ...a }));
  return { ...view, approvals: { ...view.approvals, list } };
}

function library(template: object, view: object): unknown {
  return new ACData.Template(template).expand({ $root: view });
}

describe('the compiled templates expand exactly as adaptivecards-templating does', () => {
  const ours = loadTemplate<object>(requestTemplate, 'request-card.json');
  const requests = [
    ...Object.entries(requestFixtures()),
    ...(['draft', 'awaiting_approval', 'rejected', 'cancelled', 'failed'] as const).map(
      (s) => [`hostile ${s}`, hostileRequest(s)] as const,
    ),
  ];

  it.each(requests)('request card, %s', (_name, r) => {
    const view = requestCardView(r, OPTS);
    expect(ours.expand(view)).toEqual(library(requestTemplate, withEmptyNotes(view)));
  });

  const choose = loadTemplate<object>(chooseTemplate, 'choose-device-card.json');
  it.each([0, 1, 2, 12])('several-matches card with %i devices', (n) => {
    const machines = Array.from({ length: n }, (_, i) =>
      machine({ id: `${i}`.padStart(40, 'a'), computerDnsName: `pc-${i}.contoso.local` }),
    );
    const view = chooseDeviceCardView(HOSTILE.template, machines, OPTS);
    expect(choose.expand(view)).toEqual(library(chooseTemplate, view));
  });

  const help = loadTemplate<object>(helpTemplate, 'help-card.json');
  const roleSets: HelpRoles[] = [
    { requester: false, approver: false, rules: [] },
    { requester: true, approver: false, rules: [] },
    { requester: true, approver: true, rules: ['Servers: 3 approvals from Server Owners', HOSTILE.template] },
  ];
  it.each(roleSets)('help card for %o', (roles) => {
    const view = helpCardView(roles);
    expect(help.expand(view)).toEqual(library(helpTemplate, view));
  });

  it('refuses template syntax it does not implement, at load', () => {
    const card = (text: string) => ({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text }],
    });
    expect(() => loadTemplate(card('${if(a, b, c)}'), 'x.json')).toThrow(/unsupported expression/);
    expect(() => loadTemplate(card('${a'), 'x.json')).toThrow(/unclosed/);
  });
});
