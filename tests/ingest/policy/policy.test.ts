import { describe, expect, it } from '@jest/globals';
import { createKalturaPolicy, isWebinar } from '../../../src/ingest/policy/index.js';
import { ACTIVE, HOST_EMAIL, makeAccount, makeMeeting, world } from './world.js';

describe('meeting vs webinar', () => {
  it('types 5, 6 and 9 are webinars; others are meetings', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].filter((type) => isWebinar({ type }))).toEqual([5, 6, 9]);
  });

  it('meetings.upload false ignores meetings (no API call) but not webinars', async () => {
    const { source, sink } = world();
    const account = makeAccount({ meetings: { upload: false } });
    const policy = createKalturaPolicy({ source, sink });
    const meeting = await policy.resolve(makeMeeting({ type: 8 }), account);
    expect(meeting.ignoreReason).toBe('meeting uploads are disabled for account main');
    expect(source.count() + sink.count()).toBe(0);
    const webinar = await policy.resolve(makeMeeting({ type: 9 }), account);
    expect(webinar.ignoreReason).toBeUndefined();
  });

  it('webinars.upload false ignores webinars of every webinar type but not meetings', async () => {
    const { source, sink } = world();
    const account = makeAccount({ webinars: { upload: false } });
    const policy = createKalturaPolicy({ source, sink });
    for (const type of [5, 6, 9]) {
      expect((await policy.resolve(makeMeeting({ type }), account)).ignoreReason).toBe('webinar uploads are disabled for account main');
    }
    expect(source.count() + sink.count()).toBe(0);
    expect((await policy.resolve(makeMeeting({ type: 2 }), account)).ignoreReason).toBeUndefined();
  });
});

describe('tags and conversion profile', () => {
  it('tags are the account tags; the account conversion profile wins over the global one', async () => {
    const { source, sink } = world();
    const policy = createKalturaPolicy({ source, sink, globalConversionProfileId: 11 });
    const own = await policy.resolve(makeMeeting(), makeAccount({ tags: ['zoom', 'lectures'], conversionProfileId: 22 }));
    expect(own.tags).toEqual(['zoom', 'lectures']);
    expect(own.conversionProfileId).toBe(22);
    const global = await policy.resolve(makeMeeting(), makeAccount());
    expect(global.conversionProfileId).toBe(11);
    expect(global.tags).toEqual([]);
  });

  it('no conversion profile anywhere leaves it unset (the partner default applies)', async () => {
    const { source, sink } = world();
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), makeAccount());
    expect(result.conversionProfileId).toBeUndefined();
  });
});

describe('API economy', () => {
  it('with every permission source on "ignore": one Zoom user, one meeting-details (tracking fields), one Kaltura user call', async () => {
    const { source, sink } = world();
    sink.putUser({ id: HOST_EMAIL, status: ACTIVE });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), makeAccount());
    expect(result.ownerId).toBe(HOST_EMAIL);
    expect(source.calls.map((c) => c.method)).toEqual(['getUser', 'getMeetingDetails']);
    expect(sink.calls.map((c) => c.method)).toEqual(['getUser']);
  });

  it('a webinar with every source on "ignore" costs no meeting-details call', async () => {
    const { source, sink } = world();
    sink.putUser({ id: HOST_EMAIL, status: ACTIVE });
    await createKalturaPolicy({ source, sink }).resolve(makeMeeting({ type: 5 }), makeAccount());
    expect(source.calls.map((c) => c.method)).toEqual(['getUser']);
  });

  it('with every source on: each Zoom source is called once, details shared by categories and alternative hosts', async () => {
    const { source, sink } = world();
    const meeting = makeMeeting();
    sink.putUser({ id: HOST_EMAIL, status: ACTIVE });
    sink.putUser({ id: 'a@x.edu', status: ACTIVE });
    const zoom = sink.putCategory('Zoom');
    source.details.set(meeting.id, { id: meeting.id, alternativeHosts: ['a@x.edu'], trackingFields: { KalturaCategory: 'Zoom' } });
    source.cohosts.set(meeting.uuid, ['a@x.edu']);
    source.participants.set(meeting.uuid, ['a@x.edu', HOST_EMAIL]);
    const account = makeAccount({
      permissions: { alternativeHosts: 'coEditor', coHosts: 'coPublisher', participants: 'coViewer' },
      groups: { optOut: ['students'] },
    });
    const result = await createKalturaPolicy({ source, sink }).resolve(meeting, account);
    expect(result).toEqual({
      ownerId: HOST_EMAIL,
      entitledUsersEdit: ['a@x.edu'],
      entitledUsersPublish: ['a@x.edu'],
      entitledUsersView: ['a@x.edu'],
      categoryIds: [zoom.id],
      tags: [],
      conversionProfileId: undefined,
    });
    expect(source.calls.map((c) => c.method).sort()).toEqual(
      ['getMeetingDetails', 'getUser', 'listCohostEmails', 'listParticipantEmails'].sort(),
    );
    // Host + one entitled user, each matched once although listed repeatedly.
    expect(sink.calls.map((c) => c.method)).toEqual(['getUser', 'listUserGroupIds', 'findCategoryByName', 'getUser']);
  });
});
