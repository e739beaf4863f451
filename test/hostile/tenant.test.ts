import { SANDBOX_TENANT_ID } from '../../sandbox/users';
import { startHarness, type Harness } from '../fakes/harness';
import { messageActivity, postActivity, user, type Where } from '../fakes/teams';
import { OTHER_TENANT, openAndSubmit } from './support/flow';

/**
 * Messages from a tenant not in ALLOWED_TENANT_IDS (the sandbox allows only its own
 * tenant): refused with a reply, before any Defender lookup, in every kind of
 * conversation, and a status query cannot read another tenant's request.
 */
jest.setTimeout(30_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
});
afterAll(async () => {
  await h.close();
});

const PLACES: Where[] = [
  { kind: 'channel', rootId: 'root-tenant' },
  { kind: 'groupChat' },
  { kind: 'personal', userKey: 'alex' },
];
const STRANGERS = [
  OTHER_TENANT,
  '72f988bf-86f1-41af-91ab-2d7cd011db47',
  'not-a-guid',
  `${SANDBOX_TENANT_ID} `,
];

async function replyTo(send: () => Promise<{ status: number }>): Promise<string> {
  const since = h.connector.sent.length;
  expect((await send()).status).toBe(200);
  // The first text reply: card posts and updates of other requests may interleave.
  const reply = await h.connector.waitFor(
    (a) => h.connector.sent.indexOf(a) >= since && a.op !== 'update' && typeof a.activity.text === 'string',
  );
  return String(reply.activity.text);
}

test('offboard from a tenant that is not allowed: a refusal, no Defender call', async () => {
  const calls = h.sim.calls.length;
  let refused = 0;
  for (const where of PLACES)
    for (const tenantId of STRANGERS) {
      expect(await replyTo(() => h.say('alex', 'offboard ws-042 stolen', where, tenantId))).toMatch(
        /does not serve your organization/,
      );
      refused++;
    }
  // No tenant at all: neither channelData.tenant nor conversation.tenantId.
  const bare = messageActivity({
    serviceUrl: h.connector.url,
    from: user('alex'),
    text: 'offboard ws-042',
    where: { kind: 'personal', userKey: 'alex' },
  }) as Record<string, unknown> & { conversation: Record<string, unknown> };
  bare.channelData = {};
  delete bare.conversation.tenantId;
  expect(await replyTo(() => postActivity(h.runtime.botUrl, bare))).toMatch(
    /does not serve your organization/,
  );
  refused++;
  expect(h.sim.calls.length).toBe(calls);
  console.log(
    `tenant: ${refused} offboard commands from tenants not allowed (or none), ${refused} refused, 0 Defender calls`,
  );
});

test("status from another tenant cannot read this tenant's request", async () => {
  const { requestId } = await openAndSubmit(h, { kind: 'channel', rootId: 'root-status' }, 'ws-042');
  await h.runtime.offboarding.idle();
  // Requests are read in their own conversation (the security rule of `status`).
  const thread = { kind: 'channel', rootId: 'root-status' } as const;
  expect(await replyTo(() => h.say('casey', `status ${requestId}`, thread))).toMatch(/awaiting approval/);
  for (const tenantId of STRANGERS)
    expect(await replyTo(() => h.say('casey', `status ${requestId}`, thread, tenantId))).toMatch(
      /I know no request/,
    );
  console.log(
    `tenant: ${STRANGERS.length} status queries from other tenants, ${STRANGERS.length} answered "no such request"`,
  );
});
