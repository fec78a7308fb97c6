import { describe, expect, it } from '@jest/globals';
import { PermanentError } from '../../../src/errors.js';
import { createKalturaPolicy } from '../../../src/ingest/policy/index.js';
import { ACTIVE, HOST_EMAIL, makeAccount, makeMeeting, world } from './world.js';

const MEETING = makeMeeting();
const WEBINAR = makeMeeting({ type: 5, id: 99887766, uuid: 'web-uuid' });

function setup() {
  const w = world();
  w.sink.putUser({ id: HOST_EMAIL, status: ACTIVE });
  return w;
}

function categoryCalls(sink: { calls: Array<{ method: string }> }): number {
  return sink.calls.filter((c) => /Category/.test(c.method)).length;
}

describe('categories: meetings', () => {
  it('resolves a full path with findCategoryByFullName and a name with findCategoryByName', async () => {
    const { source, sink } = setup();
    const path = sink.putCategory('MediaSpace>site>channels>Zoom');
    const named = sink.putCategory('Root>Recordings');
    const account = makeAccount({ meetings: { categories: ['MediaSpace > site>channels>Zoom', 'Recordings'] } });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    expect(result.categoryIds).toEqual([path.id, named.id]);
    expect(sink.calls.filter((c) => /Category/.test(c.method)).map((c) => [c.method, c.args[0]])).toEqual([
      ['findCategoryByFullName', 'MediaSpace>site>channels>Zoom'],
      ['findCategoryByName', 'Recordings'],
    ]);
  });

  it('adds the tracking field KalturaCategory (a name) to the configured categories', async () => {
    const { source, sink } = setup();
    const configured = sink.putCategory('Zoom');
    const tracked = sink.putCategory('Courses>Biology 101');
    source.details.set(MEETING.id, { id: MEETING.id, alternativeHosts: [], trackingFields: { KalturaCategory: 'Biology 101' } });
    const account = makeAccount({ meetings: { categories: ['Zoom'] } });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    expect(result.categoryIds).toEqual([configured.id, tracked.id]);
  });

  it('KalturaCategory containing ">" is a full path', async () => {
    const { source, sink } = setup();
    const tracked = sink.putCategory('Courses>Biology 101');
    source.details.set(MEETING.id, { id: MEETING.id, alternativeHosts: [], trackingFields: { KalturaCategory: 'Courses>Biology 101' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount());
    expect(result.categoryIds).toEqual([tracked.id]);
    expect(sink.count('findCategoryByFullName')).toBe(1);
  });

  it('KalturaCategoryPath + ">" + KalturaCategory is looked up as a full path', async () => {
    const { source, sink } = setup();
    sink.putCategory('Other>Biology 101');
    const tracked = sink.putCategory('Courses>2024>Biology 101');
    source.details.set(MEETING.id, {
      id: MEETING.id,
      alternativeHosts: [],
      trackingFields: { KalturaCategoryPath: 'Courses>2024', KalturaCategory: 'Biology 101' },
    });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount());
    expect(result.categoryIds).toEqual([tracked.id]);
    expect(sink.calls.find((c) => c.method === 'findCategoryByFullName')?.args).toEqual(['Courses>2024>Biology 101']);
  });

  it('a KalturaCategoryPath without KalturaCategory is ignored', async () => {
    const { source, sink } = setup();
    sink.putCategory('Courses>2024');
    source.details.set(MEETING.id, { id: MEETING.id, alternativeHosts: [], trackingFields: { KalturaCategoryPath: 'Courses>2024' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount());
    expect(result.categoryIds).toEqual([]);
    expect(categoryCalls(sink)).toBe(0);
  });

  it('the same category from config and tracking field is listed once', async () => {
    const { source, sink } = setup();
    const zoom = sink.putCategory('Zoom');
    source.details.set(MEETING.id, { id: MEETING.id, alternativeHosts: [], trackingFields: { KalturaCategory: 'Zoom' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount({ meetings: { categories: ['Zoom'] } }));
    expect(result.categoryIds).toEqual([zoom.id]);
  });
});

describe('categories: webinars', () => {
  it('use webinars.categories only: no meeting categories, tracking fields not even fetched', async () => {
    const { source, sink } = setup();
    sink.putCategory('Zoom meetings');
    const web = sink.putCategory('Zoom>Webinars');
    sink.putCategory('Tracked');
    source.details.set(WEBINAR.id, { id: WEBINAR.id, alternativeHosts: [], trackingFields: { KalturaCategory: 'Tracked' } });
    const account = makeAccount({ meetings: { categories: ['Zoom meetings'] }, webinars: { categories: ['Zoom>Webinars'] } });
    const result = await createKalturaPolicy({ source, sink }).resolve(WEBINAR, account);
    expect(result.categoryIds).toEqual([web.id]);
    expect(source.count('getMeetingDetails')).toBe(0);
  });

  it('ignore tracking fields even when details are fetched for alternative hosts', async () => {
    const { source, sink } = setup();
    sink.putCategory('Tracked');
    source.details.set(WEBINAR.id, { id: WEBINAR.id, alternativeHosts: [], trackingFields: { KalturaCategory: 'Tracked' } });
    const account = makeAccount({ permissions: { alternativeHosts: 'coEditor' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(WEBINAR, account);
    expect(source.count('getMeetingDetails')).toBe(1);
    expect(result.categoryIds).toEqual([]);
  });
});

describe('categories: missing', () => {
  it('fails the file with CATEGORY_NOT_FOUND naming the value, the config key and the fix', async () => {
    const { source, sink } = setup();
    const account = makeAccount({ meetings: { categories: ['Nope>Zoom'] } });
    const error = await createKalturaPolicy({ source, sink }).resolve(MEETING, account).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    const err = error as PermanentError;
    expect(err.code).toBe('CATEGORY_NOT_FOUND');
    expect(err.message).toContain('"Nope>Zoom"');
    expect(err.message).toContain('accounts[main].meetings.categories');
    expect(err.message).toContain('accounts[main].categories.createMissing: true');
  });

  it('a missing tracking-field category names the tracking field and the meeting', async () => {
    const { source, sink } = setup();
    source.details.set(MEETING.id, { id: MEETING.id, alternativeHosts: [], trackingFields: { KalturaCategory: 'Ghost' } });
    const err = (await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount()).catch((e: unknown) => e)) as PermanentError;
    expect(err.code).toBe('CATEGORY_NOT_FOUND');
    expect(err.message).toContain(`tracking field KalturaCategory of Zoom meeting ${MEETING.id}`);
  });

  it('createMissing creates the last segment under an existing parent path', async () => {
    const { source, sink } = setup();
    const parent = sink.putCategory('MediaSpace>Zoom');
    const account = makeAccount({ meetings: { categories: ['MediaSpace>Zoom>Meetings'] }, categories: { createMissing: true } });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    expect(sink.calls.find((c) => c.method === 'addCategory')?.args).toEqual([parent.id, 'Meetings']);
    const created = sink.categories.find((c) => c.fullName === 'MediaSpace>Zoom>Meetings');
    expect(result.categoryIds).toEqual([created?.id]);
  });

  it('createMissing creates a plain name at the root', async () => {
    const { source, sink } = setup();
    const account = makeAccount({ webinars: { categories: ['Webinars'] }, categories: { createMissing: true } });
    const result = await createKalturaPolicy({ source, sink }).resolve(WEBINAR, account);
    expect(sink.calls.find((c) => c.method === 'addCategory')?.args).toEqual([null, 'Webinars']);
    expect(result.categoryIds).toHaveLength(1);
  });

  it('createMissing still fails when the parent path does not exist', async () => {
    const { source, sink } = setup();
    const account = makeAccount({ meetings: { categories: ['No>Such>Parent'] }, categories: { createMissing: true } });
    const err = (await createKalturaPolicy({ source, sink }).resolve(MEETING, account).catch((e: unknown) => e)) as PermanentError;
    expect(err.code).toBe('CATEGORY_NOT_FOUND');
    expect(err.message).toContain('"No>Such"');
    expect(sink.count('addCategory')).toBe(0);
  });
});

describe('categories: cache', () => {
  it('a second resolve makes no category lookups', async () => {
    const { source, sink } = setup();
    sink.putCategory('A>B');
    sink.putCategory('Zoom');
    const account = makeAccount({ meetings: { categories: ['A>B', 'Zoom'] } });
    const policy = createKalturaPolicy({ source, sink });
    const first = await policy.resolve(MEETING, account);
    const lookups = categoryCalls(sink);
    expect(lookups).toBe(2);
    const second = await policy.resolve(makeMeeting({ uuid: 'other' }), account);
    expect(second.categoryIds).toEqual(first.categoryIds);
    expect(categoryCalls(sink)).toBe(lookups);
  });

  it('a created category is cached too (created once)', async () => {
    const { source, sink } = setup();
    const account = makeAccount({ meetings: { categories: ['New'] }, categories: { createMissing: true } });
    const policy = createKalturaPolicy({ source, sink });
    await Promise.all([policy.resolve(MEETING, account), policy.resolve(makeMeeting({ uuid: 'b' }), account)]);
    await policy.resolve(makeMeeting({ uuid: 'c' }), account);
    expect(sink.count('addCategory')).toBe(1);
    expect(sink.count('findCategoryByName')).toBe(1);
  });

  it('a miss is not cached: once the category exists the next file succeeds', async () => {
    const { source, sink } = setup();
    const account = makeAccount({ meetings: { categories: ['Later'] } });
    const policy = createKalturaPolicy({ source, sink });
    await expect(policy.resolve(MEETING, account)).rejects.toBeInstanceOf(PermanentError);
    const later = sink.putCategory('Later');
    expect((await policy.resolve(MEETING, account)).categoryIds).toEqual([later.id]);
  });

  it('the cache belongs to the resolver instance (no module state)', async () => {
    const { source, sink } = setup();
    sink.putCategory('Zoom');
    const account = makeAccount({ meetings: { categories: ['Zoom'] } });
    await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    expect(sink.count('findCategoryByName')).toBe(2);
  });
});
