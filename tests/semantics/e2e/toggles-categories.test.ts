/**
 * Meetings vs webinars (types 5, 6, 9), the per-kind upload toggles with their
 * own categories, and category resolution: full path, name, tracking fields,
 * caching, missing → clear per-file error or createMissing, parents only.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { KALTURA_DEMO_CATEGORIES as CAT } from '../../../src/sandbox/seed/kaltura-demo.js';
import { closeWorlds, kalturaCalls, meeting, mp4, world } from './harness.js';

afterEach(closeWorlds);

const MEETING_TYPES = [1, 2, 3, 4, 8];
const WEBINAR_TYPES = [5, 6, 9];

describe('upload toggles per kind, each with its own categories', () => {
  test.each([
    { meetings: true, webinars: true },
    { meetings: true, webinars: false },
    { meetings: false, webinars: true },
    { meetings: false, webinars: false },
  ])('meetings.upload=$meetings webinars.upload=$webinars', async ({ meetings, webinars }) => {
    const types = [...MEETING_TYPES, ...WEBINAR_TYPES];
    const w = await world({
      meetings: types.map((type) => meeting(`t${type}`, { type, files: [mp4(`t${type}-sv`, 'speaker_view')], trackingFields: [] })),
      account: {
        meetings: { upload: meetings, categories: [CAT.zoom] },
        webinars: { upload: webinars, categories: [CAT.zoomWebinars] },
      },
    });
    expect(await w.run()).toBe(0);
    for (const type of types) {
      const webinar = WEBINAR_TYPES.includes(type);
      const enabled = webinar ? webinars : meetings;
      const row = w.file(`t${type}-sv`);
      if (enabled) {
        expect({ type, state: row.state }).toEqual({ type, state: 'HANDLED' });
        expect({ type, categories: w.entryOf(`t${type}-sv`).categories }).toEqual({ type, categories: [webinar ? CAT.zoomWebinars : CAT.zoom] });
      } else {
        expect({ type, state: row.state, reason: row.reason }).toEqual({
          type,
          state: 'IGNORED',
          reason: expect.stringContaining(webinar ? 'webinar uploads are disabled' : 'meeting uploads are disabled'),
        });
        expect(row.kalturaEntryId).toBeNull();
      }
    }
    const enabledCount = types.filter((t) => (WEBINAR_TYPES.includes(t) ? webinars : meetings)).length;
    expect(w.entries()).toHaveLength(enabledCount);
    // A disabled kind costs no Zoom lookup at all (no user, details, participants).
    if (!meetings && !webinars) {
      expect(kalturaCalls(w, 'media.add')).toBe(0);
      expect(w.zoom.state.callCounts()['GET /v2/users/{userId}'] ?? 0).toBe(0);
    }
  });
});

describe('category resolution', () => {
  const kaltura = {
    categories: [
      { fullName: 'Courses>BIO101>Lectures' },
      { fullName: 'Courses>CHEM200>Lectures' },
      { fullName: 'Courses>BIO101>Labs' },
      { fullName: 'Departments>Biology' },
    ],
  };

  test('by full path and by name, trimmed and de-duplicated; on the parent only; resolved once and cached', async () => {
    const files = (p: string) => [mp4(`${p}-ssv`, 'shared_screen_with_speaker_view'), mp4(`${p}-gv`, 'gallery_view')];
    const w = await world({
      kaltura,
      meetings: ['c1', 'c2', 'c3'].map((p) => meeting(p, { files: files(p) })),
      account: {
        meetings: {
          upload: true,
          // a path, the same path with spaces around '>', a unique name, and the name's own full path again
          categories: ['Courses>BIO101>Labs', ' Courses > BIO101 > Labs ', 'Biology', 'Departments>Biology'],
        },
      },
    });
    expect(await w.run()).toBe(0);
    for (const p of ['c1', 'c2', 'c3']) {
      const parent = w.entryOf(`${p}-ssv`);
      expect(parent.categories.sort()).toEqual(['Courses>BIO101>Labs', 'Departments>Biology']);
      const child = w.entryOf(`${p}-gv`);
      expect(child.parentEntryId).toBe(parent.id);
      expect(child.categories).toEqual([]);
    }
    // Three distinct values (path, name, path) are looked up once each for the three meetings.
    expect(kalturaCalls(w, 'category.list')).toBe(3);
    expect(kalturaCalls(w, 'categoryentry.add')).toBe(6);
  });

  test('a missing category is a clear per-file error; other recordings go on', async () => {
    const w = await world({
      kaltura,
      meetings: [
        meeting('bad-name', { files: [mp4('bad-name-sv', 'speaker_view'), mp4('bad-name-gv', 'gallery_view')], trackingFields: [{ field: 'KalturaCategory', value: 'No Such Channel' }] }),
        meeting('ambiguous', { files: [mp4('ambiguous-sv', 'speaker_view')], trackingFields: [{ field: 'KalturaCategory', value: 'Lectures' }] }),
        meeting('fine', { files: [mp4('fine-sv', 'speaker_view')], trackingFields: [] }),
      ],
      account: { meetings: { upload: true, categories: [CAT.zoom] } },
    });
    expect(await w.run()).toBe(0);
    const bad = w.file('bad-name-sv');
    expect(bad.state).toBe('FAILED');
    expect(bad.lastErrorCode).toBe('CATEGORY_NOT_FOUND');
    expect(bad.lastError).toContain('"No Such Channel"');
    expect(bad.lastError).toContain('tracking field KalturaCategory of Zoom meeting');
    expect(bad.lastError).toContain('accounts[demo].categories.createMissing');
    // Nothing of the failed segment reached Kaltura; its child waits for a parent.
    expect(bad.kalturaEntryId).toBeNull();
    expect(w.file('bad-name-gv').state).toBe('PENDING');
    // A name that matches more than one category is not guessed, and the error says so.
    const ambiguous = w.file('ambiguous-sv');
    expect(ambiguous).toMatchObject({ state: 'FAILED', lastErrorCode: 'CATEGORY_AMBIGUOUS' });
    expect(ambiguous.lastError).toMatch(/category name "Lectures" matches 2 Kaltura categories \("[^"]+>Lectures", "[^"]+>Lectures"\)/);
    expect(ambiguous.lastError).toContain('Write the full path');
    expect(w.file('fine-sv').state).toBe('HANDLED');
    expect(w.entries()).toHaveLength(1);
  });

  test('a missing configured path names the config key', async () => {
    const w = await world({ meetings: [meeting('cfg', { files: [mp4('cfg-sv', 'speaker_view')] })], account: { meetings: { upload: true, categories: ['MediaSpace>site>channels>Gone'] } } });
    expect(await w.run()).toBe(0);
    const row = w.file('cfg-sv');
    expect(row).toMatchObject({ state: 'FAILED', lastErrorCode: 'CATEGORY_NOT_FOUND' });
    expect(row.lastError).toContain('"MediaSpace>site>channels>Gone" (full path, from accounts[demo].meetings.categories)');
  });

  test('createMissing creates a missing category once (its parent must exist)', async () => {
    const w = await world({
      meetings: [
        meeting('n1', { files: [mp4('n1-sv', 'speaker_view')], trackingFields: [{ field: 'KalturaCategory', value: 'Brand New' }] }),
        meeting('n2', { files: [mp4('n2-sv', 'speaker_view')], trackingFields: [{ field: 'KalturaCategory', value: 'Brand New' }] }),
        meeting('orphan', { files: [mp4('orphan-sv', 'speaker_view')], trackingFields: [{ field: 'KalturaCategory', value: 'Nowhere>Child' }] }),
      ],
      account: { meetings: { upload: true, categories: ['MediaSpace>site>channels>New Channel'] }, categories: { createMissing: true } },
    });
    expect(await w.run()).toBe(0);
    for (const id of ['n1-sv', 'n2-sv']) expect(w.entryOf(id).categories.sort()).toEqual(['Brand New', 'MediaSpace>site>channels>New Channel']);
    expect(kalturaCalls(w, 'category.add')).toBe(2);
    const orphan = w.file('orphan-sv');
    expect(orphan).toMatchObject({ state: 'FAILED', lastErrorCode: 'CATEGORY_NOT_FOUND' });
    expect(orphan.lastError).toContain('its parent "Nowhere" does not exist');
    const created = w.kaltura.state.snapshot().categories.map((c) => c.fullName);
    expect(created).toEqual(expect.arrayContaining(['Brand New', 'MediaSpace>site>channels>New Channel']));
    expect(created).not.toContain('Nowhere>Child');
  });

  test('createMissing never adds another category under a name several already share', async () => {
    const w = await world({
      kaltura,
      meetings: [meeting('amb', { files: [mp4('amb-sv', 'speaker_view')], trackingFields: [{ field: 'KalturaCategory', value: 'Lectures' }] })],
      account: { meetings: { upload: true, categories: [] }, categories: { createMissing: true } },
    });
    const before = w.kaltura.state.snapshot().categories.length;
    expect(await w.run()).toBe(0);
    expect(w.file('amb-sv')).toMatchObject({ state: 'FAILED', lastErrorCode: 'CATEGORY_AMBIGUOUS' });
    expect(w.file('amb-sv').lastError).toContain('tracking field KalturaCategory of Zoom meeting');
    expect(kalturaCalls(w, 'category.add')).toBe(0);
    expect(w.kaltura.state.snapshot().categories).toHaveLength(before);
  });

  test.each([
    { name: 'KalturaCategory as a name', fields: [{ field: 'KalturaCategory', value: 'Lab Recordings' }], want: [CAT.labRecordings] },
    { name: 'KalturaCategory as a path', fields: [{ field: 'KalturaCategory', value: 'Courses>BIO101>Labs' }], want: ['Courses>BIO101>Labs'] },
    {
      name: 'KalturaCategoryPath + KalturaCategory',
      fields: [
        { field: 'KalturaCategoryPath', value: 'Courses>CHEM200>' },
        { field: 'KalturaCategory', value: 'Lectures' },
      ],
      want: ['Courses>CHEM200>Lectures'],
    },
    { name: 'KalturaCategoryPath alone is ignored', fields: [{ field: 'KalturaCategoryPath', value: 'Courses>BIO101' }], want: [] },
    { name: 'field names are case-insensitive', fields: [{ field: 'kalturacategory', value: 'Lab Recordings' }], want: [CAT.labRecordings] },
  ])('tracking fields: $name (added to the configured categories)', async ({ fields, want }) => {
    const w = await world({ kaltura, meetings: [meeting('tf', { files: [mp4('tf-sv', 'speaker_view')], trackingFields: fields })], account: { meetings: { upload: true, categories: [CAT.zoom] } } });
    expect(await w.run()).toBe(0);
    expect(w.entryOf('tf-sv').categories.sort()).toEqual([CAT.zoom, ...want].sort());
  });

  test('webinars take webinars.categories only: no tracking fields, never the meeting categories', async () => {
    const w = await world({
      kaltura,
      meetings: WEBINAR_TYPES.map((type) => meeting(`w${type}`, { type, files: [mp4(`w${type}-as`, 'active_speaker')], trackingFields: [{ field: 'KalturaCategory', value: 'Lab Recordings' }] })),
      account: { meetings: { upload: true, categories: [CAT.zoom] }, webinars: { upload: true, categories: [CAT.zoomWebinars, 'Biology'] } },
    });
    expect(await w.run()).toBe(0);
    for (const type of WEBINAR_TYPES) expect(w.entryOf(`w${type}-as`).categories.sort()).toEqual(['Departments>Biology', CAT.zoomWebinars].sort());
  });
});
