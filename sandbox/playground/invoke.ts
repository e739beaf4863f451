/**
 * A card click, sent exactly as the Playground's page sends it: `POST /_conversation/v1/invoke`
 * with `{name: 'adaptiveCard/action', value: {action: {type, title, verb, data}}, from: {id},
 * conversation: {id}, replyToId: <card message id>}` (read from its served page). The
 * Playground then looks the user up in its mock data, builds the Teams `invoke` activity
 * (from.aadObjectId, channelData.tenant, …) and posts it to the bot like any other turn.
 * Card inputs go into `data`, as Adaptive Cards merge them before sending.
 */
export interface CardClick {
  fromId: string;
  conversationId: string;
  replyToId: string;
  verb: string;
  title?: string;
  data: Record<string, unknown>;
}

export type InvokeAnswer =
  | { kind: 'card'; card: Record<string, unknown> }
  | { kind: 'message'; text: string }
  | { kind: 'other'; body: unknown };

export async function clickAs(playgroundUrl: string, c: CardClick): Promise<InvokeAnswer> {
  const res = await fetch(`${playgroundUrl}/_conversation/v1/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', title: c.title ?? c.verb, verb: c.verb, data: c.data } },
      from: { id: c.fromId },
      conversation: { id: c.conversationId },
      replyToId: c.replyToId,
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`the Playground refused the click (HTTP ${res.status}): ${text.slice(0, 500)}`);
  const body = JSON.parse(text) as { type?: string; value?: unknown };
  if (body.type === 'application/vnd.microsoft.card.adaptive' && typeof body.value === 'object' && body.value)
    return { kind: 'card', card: body.value as Record<string, unknown> };
  if (body.type === 'application/vnd.microsoft.activity.message' && typeof body.value === 'string')
    return { kind: 'message', text: body.value };
  return { kind: 'other', body };
}

/** The first few texts of a card (title, state badge, summary line): enough for a terminal. */
export function cardSummary(card: unknown, max = 4): string {
  const texts: string[] = [];
  const walk = (n: unknown): void => {
    if (texts.length >= max) return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n !== 'object' || n === null) return;
    const o = n as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') texts.push(o.text);
    for (const [k, v] of Object.entries(o)) if (k !== 'actions') walk(v);
  };
  walk(card);
  return texts.join(' · ');
}
