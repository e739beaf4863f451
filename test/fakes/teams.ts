import { SANDBOX_TENANT_ID, SANDBOX_USERS, type SandboxUser } from '../../sandbox/users';

/**
 * Builders for the activities Teams sends, shaped like the real ones (Bot Framework
 * activity schema + Teams channelData), and a sender that POSTs them to the bot.
 */
export const BOT = { id: '28:offboarder-bot', name: 'Offboarder' };
export const TEAM_ID = '19:sandbox-general@thread.tacv2';
export const GROUP_CHAT_ID = '19:sandbox-groupchat@thread.v2';

export const user = (key: string): SandboxUser => {
  const u = SANDBOX_USERS.find((x) => x.key === key);
  if (!u) throw new Error(`no sandbox user ${key}`);
  return u;
};

export type Where =
  { kind: 'channel'; rootId: string } | { kind: 'groupChat' } | { kind: 'personal'; userKey: string };

/** A channel post of its own: replies land in its thread. */
export const channel = (rootId = 'root-1'): Where => ({ kind: 'channel', rootId });

let seq = 0;
export function conversationOf(where: Where, tenantId = SANDBOX_TENANT_ID) {
  switch (where.kind) {
    case 'channel':
      return {
        conversation: {
          id: `${TEAM_ID};messageid=${where.rootId}`,
          conversationType: 'channel',
          isGroup: true,
          tenantId,
        },
        channelData: { tenant: { id: tenantId }, team: { id: TEAM_ID }, channel: { id: TEAM_ID } },
      };
    case 'groupChat':
      return {
        conversation: { id: GROUP_CHAT_ID, conversationType: 'groupChat', isGroup: true, tenantId },
        channelData: { tenant: { id: tenantId } },
      };
    case 'personal':
      return {
        conversation: { id: `a:personal-${where.userKey}`, conversationType: 'personal', tenantId },
        channelData: { tenant: { id: tenantId } },
      };
  }
}

const fromUser = (u: SandboxUser) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId });

export function messageActivity(o: {
  serviceUrl: string;
  from: SandboxUser;
  text: string;
  where: Where;
  tenantId?: string;
  id?: string;
}) {
  const mention = o.where.kind === 'personal' ? undefined : `<at>${BOT.name}</at>`;
  const id = o.id ?? (o.where.kind === 'channel' ? o.where.rootId : `msg-${++seq}`);
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: fromUser(o.from),
    recipient: BOT,
    ...conversationOf(o.where, o.tenantId),
    text: mention ? `${mention} ${o.text}` : o.text,
    textFormat: 'plain',
    entities: mention ? [{ type: 'mention', text: mention, mentioned: BOT }] : [],
  };
}

export function invokeActivity(o: {
  serviceUrl: string;
  from: SandboxUser;
  verb: string;
  data: Record<string, unknown>;
  where: Where;
  replyToId?: string;
  tenantId?: string;
}) {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `inv-${++seq}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: fromUser(o.from),
    recipient: BOT,
    ...conversationOf(o.where, o.tenantId),
    replyToId: o.replyToId,
    value: { action: { type: 'Action.Execute', verb: o.verb, data: o.data }, trigger: 'manual' },
  };
}

export interface PostResult {
  status: number;
  body: unknown;
}

export async function postActivity(
  botUrl: string,
  activity: object,
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body };
}
