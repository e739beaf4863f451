import {
  commentBody,
  parseActionStatus,
  parseCollection,
  parseErrorBody,
  parseMachine,
  parseMachineAction,
} from '../../bot/defender/parse';

describe('lenient parsing of what Defender sends', () => {
  const action = {
    id: '7c5d1e9a-0b1f-4a2c-9d3e-5f6a7b8c9d0e',
    type: 'Offboard',
    status: 'Pending',
    machineId: 'a'.repeat(40),
    requestorComment: 'leaver',
    creationDateTimeUtc: '2025-01-06T09:00:00Z',
  };

  test('a documented MachineAction; unknown fields ignored; nulls become absent', () => {
    const parsed = parseMachineAction({
      ...action,
      relatedFileInfo: null,
      commands: [],
      title: null,
      newField: 1,
    });
    expect(parsed).toEqual({
      id: action.id,
      type: 'Offboard',
      status: 'Pending',
      machineId: action.machineId,
      requestorComment: 'leaver',
      creationDateTimeUtc: action.creationDateTimeUtc,
    });
  });

  test('case variants: externalID/externalId, lastUpdateTimeUtc/lastUpdateDateTimeUtc, any key casing', () => {
    expect(parseMachineAction({ ...action, externalID: 'x1' })?.externalId).toBe('x1');
    expect(parseMachineAction({ ...action, externalId: 'x2' })?.externalId).toBe('x2');
    expect(parseMachineAction({ ...action, lastUpdateTimeUtc: 't1' })?.lastUpdateDateTimeUtc).toBe('t1');
    expect(parseMachineAction({ ...action, lastUpdateDateTimeUtc: 't2' })?.lastUpdateDateTimeUtc).toBe('t2');
    expect(parseMachineAction({ ID: action.id, Type: 'Offboard', Status: 'InProgress' })).toMatchObject({
      id: action.id,
      type: 'Offboard',
      status: 'InProgress',
    });
  });

  test('statuses: Canceled → Cancelled; an unknown one maps sensibly and keeps the raw', () => {
    expect(parseMachineAction({ ...action, status: 'Canceled' })).toMatchObject({ status: 'Cancelled' });
    expect(parseMachineAction({ ...action, status: 'Canceled' })?.rawStatus).toBeUndefined();
    expect(parseMachineAction({ ...action, status: 'timeout' })?.status).toBe('TimeOut');
    expect(parseMachineAction({ ...action, status: 'Queued' })).toMatchObject({
      status: 'Pending',
      rawStatus: 'Queued',
    });
    expect(parseMachineAction({ ...action, status: 'Running' })).toMatchObject({
      status: 'InProgress',
      rawStatus: 'Running',
    });
    // An unrecognised status is never mapped to Succeeded: it keeps being followed.
    expect(parseMachineAction({ ...action, status: 'PartiallySucceeded' })?.status).toBe('InProgress');
    expect(parseMachineAction({ ...action, status: 'FailedToStart' })?.status).toBe('Failed');
    expect(parseMachineAction({ ...action, status: 42 })).toMatchObject({
      status: 'Pending',
      rawStatus: '42',
    });
    expect(parseMachineAction({ ...action, status: undefined })).toMatchObject({
      status: 'Pending',
      rawStatus: '',
    });
    expect(parseActionStatus('In Progress')).toEqual({ status: 'InProgress', known: true });
  });

  test('no id → not an action / machine; non-objects never throw', () => {
    for (const v of [null, undefined, 42, 'x', [], { type: 'Offboard' }]) {
      expect(parseMachineAction(v)).toBeUndefined();
      expect(parseMachine(v)).toBeUndefined();
    }
  });

  test('Machine: tags filtered to strings, osBuild from a string, missing name → ""', () => {
    expect(
      parseMachine({
        id: 'b'.repeat(40),
        machineTags: ['a', 1, null, 'b'],
        osBuild: '19045',
        rbacGroupId: 7,
        x: {},
      }),
    ).toEqual({
      id: 'b'.repeat(40),
      computerDnsName: '',
      machineTags: ['a', 'b'],
      osBuild: 19045,
      rbacGroupId: 7,
    });
  });

  test('collections: items parsed, broken ones skipped and counted, nextLink kept', () => {
    expect(
      parseCollection(
        { value: [action, { nope: 1 }], '@odata.nextLink': 'http://x/next' },
        parseMachineAction,
      ),
    ).toEqual({
      items: [expect.objectContaining({ id: action.id })],
      nextLink: 'http://x/next',
      skipped: 1,
    });
    expect(parseCollection(undefined, parseMachineAction)).toEqual({ items: [], skipped: 0 });
  });

  test('error bodies: documented shape, empty code with details, missing pieces', () => {
    expect(
      parseErrorBody({ error: { code: 'OsPlatformNotSupported', message: 'm', target: 't-1' } }),
    ).toEqual({
      code: 'OsPlatformNotSupported',
      message: 'm',
      target: 't-1',
    });
    expect(
      parseErrorBody({
        error: {
          code: '',
          message: '',
          target: 't-2',
          details: [{ code: 'ODataError', message: 'bad filter', target: '$filter' }],
        },
      }),
    ).toEqual({ code: 'ODataError', message: 'bad filter', target: 't-2' });
    expect(parseErrorBody({ message: 'plain' })).toEqual({ code: '', message: 'plain', target: '' });
    expect(parseErrorBody('<html>')).toEqual({ code: '', message: '', target: '' });
  });
});

describe('strict validation of what we send', () => {
  test('{"Comment"}: required, trimmed, bounded, no control characters, no other keys', () => {
    expect(commentBody.parse({ Comment: '  leaver\nticket 42 ' })).toEqual({ Comment: 'leaver\nticket 42' });
    for (const bad of [
      {},
      { Comment: '' },
      { Comment: '  ' },
      { Comment: 'x'.repeat(4001) },
      { Comment: 'a\u0007' },
    ])
      expect(commentBody.safeParse(bad).success).toBe(false);
    expect(commentBody.safeParse({ Comment: 'x', comment: 'x' }).success).toBe(false);
  });
});
