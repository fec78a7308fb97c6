import { describe, expect, it } from '@jest/globals';
import { PERMISSION_MODES, type PermissionMode } from '../../../src/config/schema.js';
import { MissingPermissionError, PermanentError, RetryableError } from '../../../src/errors.js';
import { createKalturaPolicy } from '../../../src/ingest/policy/index.js';
import { ACTIVE, BLOCKED, HOST_EMAIL, makeAccount, makeMeeting, world } from './world.js';

const MEETING = makeMeeting();
const ALT = 'alt@x.edu';
const CO = 'co@x.edu';
const PART = 'part@x.edu';

/** Host owns; one active Kaltura user per source. */
function setup() {
  const w = world();
  w.sink.putUser({ id: HOST_EMAIL, status: ACTIVE });
  for (const email of [ALT, CO, PART]) w.sink.putUser({ id: email, status: ACTIVE });
  w.source.details.set(MEETING.id, { id: MEETING.id, alternativeHosts: [ALT], trackingFields: {} });
  w.source.cohosts.set(MEETING.uuid, [CO]);
  w.source.participants.set(MEETING.uuid, [PART]);
  return w;
}

const EXPECTED: Record<PermissionMode, { edit: boolean; publish: boolean; view: boolean }> = {
  ignore: { edit: false, publish: false, view: false },
  coViewer: { edit: false, publish: false, view: true },
  coPublisher: { edit: false, publish: true, view: false },
  coEditor: { edit: true, publish: false, view: false },
  coEditorCoPublisher: { edit: true, publish: true, view: false },
};

const SOURCES = [
  { key: 'alternativeHosts', email: ALT, call: 'getMeetingDetails' },
  { key: 'coHosts', email: CO, call: 'listCohostEmails' },
  { key: 'participants', email: PART, call: 'listParticipantEmails' },
] as const;

describe('permissions: every source × every mode', () => {
  for (const src of SOURCES) {
    for (const mode of PERMISSION_MODES) {
      it(`${src.key} = ${mode}`, async () => {
        const { source, sink } = setup();
        const account = makeAccount({ permissions: { [src.key]: mode } });
        const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
        const want = EXPECTED[mode];
        expect(result.entitledUsersEdit).toEqual(want.edit ? [src.email] : []);
        expect(result.entitledUsersPublish).toEqual(want.publish ? [src.email] : []);
        expect(result.entitledUsersView).toEqual(want.view ? [src.email] : []);
        // Meetings fetch details for tracking-field categories anyway; the list sources only when asked for.
        if (src.call !== 'getMeetingDetails') expect(source.count(src.call)).toBe(mode === 'ignore' ? 0 : 1);
      });
    }
  }

  it('co-hosts and participants are read for the recorded instance (UUID), not the numeric id', async () => {
    const { source, sink } = setup();
    const account = makeAccount({ permissions: { coHosts: 'coEditor', participants: 'coViewer' } });
    await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    expect(source.calls.find((c) => c.method === 'listCohostEmails')?.args).toEqual([MEETING.uuid, false]);
    expect(source.calls.find((c) => c.method === 'listParticipantEmails')?.args).toEqual([MEETING.uuid, false]);
  });

  it('webinar participants are the panelists (isWebinar passed through); alt hosts come from webinar details', async () => {
    const { source, sink } = setup();
    const webinar = makeMeeting({ type: 5 });
    source.details.set(webinar.id, { id: webinar.id, alternativeHosts: [ALT], trackingFields: {} });
    source.participants.set(String(webinar.id), [PART]);
    const account = makeAccount({ permissions: { participants: 'coPublisher', alternativeHosts: 'coViewer' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(webinar, account);
    // Panelists by the numeric webinar ID (int64 in Zoom's OpenAPI document), not the instance UUID.
    expect(source.calls.find((c) => c.method === 'listParticipantEmails')?.args).toEqual([String(webinar.id), true]);
    expect(source.calls.find((c) => c.method === 'getMeetingDetails')?.args).toEqual([webinar.id, true]);
    expect(result.entitledUsersPublish).toEqual([PART]);
    expect(result.entitledUsersView).toEqual([ALT]);
  });
});

describe('permissions: filtering', () => {
  it('drops the owner, blocked users, empty and duplicate (case-insensitive) emails', async () => {
    const { source, sink } = setup();
    sink.putUser({ id: 'blocked@x.edu', status: BLOCKED });
    source.participants.set(MEETING.uuid, [PART, 'PART@X.EDU', '', '  ', HOST_EMAIL.toUpperCase(), 'blocked@x.edu']);
    const account = makeAccount({ permissions: { participants: 'coViewer' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    expect(result.ownerId).toBe(HOST_EMAIL);
    expect(result.entitledUsersView).toEqual([PART]);
  });

  it('drops the default user when it owns the entry', async () => {
    const { source, sink } = setup();
    sink.users.delete(HOST_EMAIL.toLowerCase());
    sink.putUser({ id: 'default-user', email: 'dflt@x.edu', status: ACTIVE });
    source.cohosts.set(MEETING.uuid, ['dflt@x.edu', CO]);
    const account = makeAccount({ permissions: { coHosts: 'coEditor' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    expect(result.ownerId).toBe('default-user');
    expect(result.entitledUsersEdit).toEqual([CO]);
  });

  it('unmatched users are kept (processed id, not created) only with onNoMatch create', async () => {
    const { source, sink } = setup();
    source.participants.set(MEETING.uuid, [PART, 'new.person@example.edu']);
    const create = makeAccount({
      owner: { onNoMatch: 'create', postfixMode: 'remove', postfix: '@example.edu' },
      permissions: { participants: 'coPublisher' },
    });
    const kept = await createKalturaPolicy({ source, sink }).resolve(MEETING, create);
    expect(kept.entitledUsersPublish).toEqual([PART, 'new.person']);
    // Only the (unmatched) host was created; Kaltura creates entitled users itself.
    expect(sink.calls.filter((c) => c.method === 'addUser').map((c) => (c.args[0] as { id: string }).id)).toEqual(['Ann.Host']);

    const dropped = await createKalturaPolicy({ source, sink }).resolve(
      MEETING,
      makeAccount({ permissions: { participants: 'coPublisher' } }),
    );
    expect(dropped.entitledUsersPublish).toEqual([PART]);
  });

  it('a person in several sources lands in every list their modes give, once each', async () => {
    const { source, sink } = setup();
    source.cohosts.set(MEETING.uuid, [ALT]);
    source.participants.set(MEETING.uuid, [ALT, PART]);
    const account = makeAccount({
      permissions: { alternativeHosts: 'coEditorCoPublisher', coHosts: 'coPublisher', participants: 'coViewer' },
    });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    expect(result.entitledUsersEdit).toEqual([ALT]);
    expect(result.entitledUsersPublish).toEqual([ALT]);
    expect(result.entitledUsersView).toEqual([ALT, PART]);
    // ALT is matched once in Kaltura although listed by three sources.
    expect(sink.calls.filter((c) => c.method === 'getUser' && c.args[0] === ALT)).toHaveLength(1);
  });
});

describe('permissions: cms matching', () => {
  it('disables the participant lookup (no Zoom call) but keeps hosts, matched by cms_user_id', async () => {
    const { source, sink } = setup();
    source.addUser({ email: CO, type: 2, status: 'active', cmsUserId: 'cms-co' });
    sink.putUser({ id: 'cms-co', status: ACTIVE });
    const account = makeAccount({
      owner: { matching: 'cmsUserId', onNoMatch: 'defaultUser', defaultUserId: 'default-user' },
      permissions: { participants: 'coViewer', coHosts: 'coPublisher' },
    });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    expect(source.count('listParticipantEmails')).toBe(0);
    expect(result.entitledUsersView).toEqual([]);
    expect(result.entitledUsersPublish).toEqual(['cms-co']);
    expect(source.calls.filter((c) => c.method === 'getUser').map((c) => c.args[0])).toContain(CO);
  });
});

describe('permissions: failing sources', () => {
  it('a permanently failing source is skipped with a warning; the others still apply', async () => {
    const { source, sink } = setup();
    source.faults.always('listCohostEmails', new PermanentError('not on this plan', { code: 'ZOOM_200', status: 400, source: 'zoom' }));
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m), info: () => undefined, debug: () => undefined, error: () => undefined };
    const account = makeAccount({ permissions: { coHosts: 'coEditor', participants: 'coViewer' } });
    const result = await createKalturaPolicy({ source, sink, logger }).resolve(MEETING, account);
    expect(result.entitledUsersEdit).toEqual([]);
    expect(result.entitledUsersView).toEqual([PART]);
    expect(warnings).toHaveLength(1);
  });

  it('a panelist list that cannot be read is a warning naming the webinar ID', async () => {
    const { source, sink } = setup();
    const webinar = makeMeeting({ type: 5 });
    source.faults.always('listParticipantEmails', new PermanentError('Webinar does not exist', { code: 'ZOOM_3001', status: 404, source: 'zoom' }));
    const warnings: Array<{ m: string; meta?: Record<string, unknown> }> = [];
    const logger = { warn: (m: string, meta?: Record<string, unknown>) => warnings.push({ m, meta }), info: () => undefined, debug: () => undefined, error: () => undefined };
    const account = makeAccount({ permissions: { participants: 'coViewer' } });
    await createKalturaPolicy({ source, sink, logger }).resolve(webinar, account);
    expect(warnings).toEqual([{ m: 'permissions: source unavailable, skipped', meta: expect.objectContaining({ webinarId: webinar.id, source: 'participants', status: 404 }) }]);
  });

  it('a missing scope on an optional source degrades that feature only (recorded), instead of failing the recording', async () => {
    const { source, sink } = setup();
    source.faults.always('listCohostEmails', new MissingPermissionError('no scope', { code: 'ZOOM_4711', status: 400, source: 'zoom', permissions: ['dashboard:read:list_meeting_participants:admin'] }));
    const degraded: string[] = [];
    const restored: string[] = [];
    const features = { degrade: (f: string, err: unknown) => (err instanceof MissingPermissionError ? (degraded.push(f), true) : false), ok: (f: string) => void restored.push(f) };
    const account = makeAccount({ permissions: { coHosts: 'coEditor', participants: 'coViewer' } });
    const result = await createKalturaPolicy({ source, sink, features }).resolve(MEETING, account);
    expect(result.entitledUsersView).toEqual([PART]);
    expect(degraded).toEqual(['coHosts']);
    expect(restored).toEqual(['participants']);
    // Without a feature recorder (e.g. a tool that does not track health) the fatal error propagates as before.
    await expect(createKalturaPolicy({ source, sink }).resolve(MEETING, account)).rejects.toBeInstanceOf(MissingPermissionError);
  });

  it('a retryable failure propagates, so the recording is retried with complete permissions', async () => {
    const { source, sink } = setup();
    source.faults.always('listParticipantEmails', new RetryableError('429', { status: 429, source: 'zoom' }));
    const account = makeAccount({ permissions: { participants: 'coViewer' } });
    await expect(createKalturaPolicy({ source, sink }).resolve(MEETING, account)).rejects.toBeInstanceOf(RetryableError);
  });
});
