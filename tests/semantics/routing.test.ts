/**
 * What gets uploaded and where: meetings/webinars upload toggles (Zoom types
 * 5, 6 and 9 are webinars), categories by full path and by name, tracking
 * fields, categories on parents only, missing categories (per-file error vs
 * categories.createMissing), and opt-in / opt-out groups (an excluded
 * recording is IGNORED with its reason and never deleted from Zoom).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ZoomSeedUser } from '../../src/sandbox/zoom/seed-types.js';
import { ZOOM_DEMO_USERS as Z } from '../../src/sandbox/seed/zoom-demo.js';
import { KALTURA_DEMO_CATEGORIES as KC } from '../../src/sandbox/seed/kaltura-demo.js';
import { DEFAULT_OWNER, EXTRA_ZOOM_USERS as X, mtg, rf, startLab, type Lab, type Scenario } from './harness.js';

const MEETING_TYPES = [1, 2, 3, 4, 8];
const WEBINAR_TYPES = [5, 6, 9];
const ALL_TYPES = [...MEETING_TYPES, ...WEBINAR_TYPES];
const DEF = { onNoMatch: 'defaultUser', defaultUserId: DEFAULT_OWNER };

let lab: Lab;
const sc: Record<string, Scenario> = {};

function typedMeetings(s: Scenario, prefix: string): void {
  for (const type of ALL_TYPES) {
    s.addMeeting(
      mtg(`${prefix}-t${type}`, Z.bob, [rf(`${prefix}-t${type}-v`, 'MP4')], {
        type,
        trackingFields: [{ field: 'KalturaCategory', value: 'Lab Recordings' }],
      }),
    );
  }
}

beforeAll(async () => {
  lab = await startLab();

  // Toggles × every Zoom type; meeting category by full path, webinar category by name.
  const toggles: Array<[string, boolean, boolean]> = [
    ['both', true, true],
    ['meetings-only', true, false],
    ['webinars-only', false, true],
  ];
  for (const [name, meetings, webinars] of toggles) {
    const s = (sc[name] = lab.scenario(name));
    typedMeetings(s, name);
    s.configure({ owner: DEF, meetings: { upload: meetings, categories: [KC.zoom] }, webinars: { upload: webinars, categories: ['Zoom Webinars'] } });
  }

  // Tracking fields and parents-only.
  const tf = (sc.tracking = lab.scenario('tracking'));
  tf.addMeeting(
    mtg('tf-path', Z.bob, [rf('tf-path-ss', 'MP4', { recordingType: 'shared_screen' }), rf('tf-path-sv', 'MP4', { recordingType: 'speaker_view' })], {
      trackingFields: [
        { field: 'KalturaCategoryPath', value: 'Semantics' },
        { field: 'KalturaCategory', value: 'Existing' },
      ],
    }),
  );
  tf.addMeeting(mtg('tf-pathonly', Z.bob, [rf('tf-pathonly-v', 'MP4')], { trackingFields: [{ field: 'KalturaCategoryPath', value: 'Semantics>Existing' }] }));
  tf.addMeeting(mtg('tf-fullpath', Z.bob, [rf('tf-fullpath-v', 'MP4')], { trackingFields: [{ field: 'kalturacategory', value: 'Semantics > Existing' }] }));
  tf.addMeeting(mtg('tf-none', Z.bob, [rf('tf-none-v', 'MP4')]));
  tf.configure({ owner: DEF, meetings: { upload: true, categories: ['Zoom'] } });

  // Missing categories: clear per-file error without createMissing.
  const miss = (sc.missing = lab.scenario('missing'));
  miss.addMeeting(mtg('miss-cfg', Z.bob, [rf('miss-cfg-v', 'MP4')]));
  miss.addMeeting(mtg('miss-web', Z.bob, [rf('miss-web-v', 'MP4')], { type: 5 }));
  miss.configure({ owner: DEF, meetings: { categories: ['MediaSpace>site>channels>Nope'] }, webinars: { categories: [KC.zoomWebinars] } });
  const missTf = (sc.missingTracking = lab.scenario('missing tracking'));
  missTf.addMeeting(mtg('miss-tf', Z.bob, [rf('miss-tf-v', 'MP4')], { trackingFields: [{ field: 'KalturaCategory', value: 'NoSuchName' }] }));
  missTf.addMeeting(mtg('miss-ok', Z.bob, [rf('miss-ok-v', 'MP4')]));
  missTf.configure({ owner: DEF });

  // createMissing: by path (parent exists) and by name (root level); a missing parent is still an error.
  const cm = (sc.createMissing = lab.scenario('createMissing'));
  cm.addMeeting(mtg('cm-1', Z.bob, [rf('cm-1-v', 'MP4')]));
  cm.addMeeting(mtg('cm-2', Z.bob, [rf('cm-2-v', 'MP4')], { trackingFields: [{ field: 'KalturaCategoryPath', value: 'NoParent' }, { field: 'KalturaCategory', value: 'X' }] }));
  cm.configure({ owner: DEF, categories: { createMissing: true }, meetings: { categories: ['Semantics>Created By Path', 'Created By Name'] } });

  // Groups.
  const groupCase = (name: string, groups: Record<string, string[]>, hosts: Array<[string, ZoomSeedUser]>) => {
    const s = (sc[name] = lab.scenario(name));
    for (const [key, host] of hosts) s.addMeeting(mtg(`${name}-${key}`, host, [rf(`${name}-${key}-v`, 'MP4'), rf(`${name}-${key}-a`, 'M4A')]));
    s.configure({ owner: DEF, groups, delete: { enabled: true, delay: '1s' } });
  };
  groupCase('optIn', { optIn: ['zoom-optin'] }, [['alice', Z.alice], ['erin', Z.erin], ['newbie', X.newbie]]);
  groupCase('optOut', { optOut: ['zoom-optout'] }, [['alice', Z.alice], ['erin', Z.erin]]);
  groupCase('optInDefault', { optIn: ['default-members'] }, [['newbie', X.newbie], ['mallory', Z.mallory], ['alice', Z.alice]]);
  groupCase('optOutDefault', { optOut: ['default-members'] }, [['newbie', X.newbie], ['bob', Z.bob]]);

  await Promise.all(Object.values(sc).map((s) => s.settle()));
  // Let the deletion delay pass, then run again: ingested files leave Zoom, excluded ones never do.
  lab.clock.advance(5_000);
  await Promise.all(['optIn', 'optOut', 'optInDefault', 'optOutDefault'].map((n) => sc[n].settle()));
}, 80_000);

afterAll(async () => lab?.close());

describe('upload toggles: types 5, 6, 9 are webinars, everything else a meeting', () => {
  const rows: Array<[string, number, boolean]> = [];
  for (const [name, m, w] of [['both', true, true], ['meetings-only', true, false], ['webinars-only', false, true]] as const) {
    for (const type of ALL_TYPES) rows.push([name, type, WEBINAR_TYPES.includes(type) ? w : m]);
  }
  test.each(rows)('%s: type %i uploaded = %s', (name, type, uploaded) => {
    const f = sc[name].file(`${name}-t${type}-v`);
    const webinar = WEBINAR_TYPES.includes(type);
    if (!uploaded) {
      expect(f.state).toBe('IGNORED');
      expect(f.reasons.join('|')).toContain(webinar ? 'webinar uploads are disabled' : 'meeting uploads are disabled');
      expect(sc[name].entriesOf(`${name}-t${type}`)).toEqual([]);
      return;
    }
    expect(f.state).toBe('HANDLED');
    const cats = sc[name].entryOf(f.zoomFileId).categories.sort();
    // Webinars: their own category only (tracking fields are a meeting feature).
    expect(cats).toEqual(webinar ? [KC.zoomWebinars] : [KC.labRecordings, KC.zoom].sort());
  });
});

describe('categories', () => {
  test('KalturaCategoryPath + KalturaCategory on the parent only, never on the child', () => {
    const s = sc.tracking;
    expect(s.entryOf('tf-path-ss').categories.sort()).toEqual([KC.zoom, 'Semantics>Existing'].sort());
    const child = s.entryOf('tf-path-sv');
    expect(child.parentEntryId).toBe(s.entryOf('tf-path-ss').id);
    expect(child.categories).toEqual([]);
  });
  test('a path without a name is ignored; a name by itself resolves by exact name (Zoom ≠ Zoom Webinars)', () => {
    expect(sc.tracking.entryOf('tf-pathonly-v').categories).toEqual([KC.zoom]);
    expect(sc.tracking.entryOf('tf-none-v').categories).toEqual([KC.zoom]);
  });
  test('a full path in KalturaCategory (spaces around ">", any field-name case)', () => {
    expect(sc.tracking.entryOf('tf-fullpath-v').categories.sort()).toEqual([KC.zoom, 'Semantics>Existing'].sort());
  });
  test('a missing configured category fails that file with a clear error; other files proceed', () => {
    const f = sc.missing.file('miss-cfg-v');
    expect(f.state).toBe('FAILED');
    expect(f.lastError).toContain('"MediaSpace>site>channels>Nope"');
    expect(f.lastError).toContain('accounts[sem].meetings.categories');
    expect(f.lastError).toContain('createMissing');
    expect(sc.missing.entriesOf('miss-cfg')).toEqual([]);
    expect(sc.missing.file('miss-web-v').state).toBe('HANDLED');
    expect(sc.missing.entryOf('miss-web-v').categories).toEqual([KC.zoomWebinars]);
    expect(lab.kaltura.state.snapshot().categories.some((c) => c.name === 'Nope')).toBe(false);
  });
  test('a missing tracking-field category names the tracking field', () => {
    const f = sc.missingTracking.file('miss-tf-v');
    expect(f.state).toBe('FAILED');
    expect(f.lastError).toMatch(/"NoSuchName".*tracking field KalturaCategory/);
    expect(sc.missingTracking.file('miss-ok-v').state).toBe('HANDLED');
  });
  test('createMissing creates by path and by name; a missing parent is still a clear error', () => {
    const cats = lab.kaltura.state.snapshot().categories;
    const byPath = cats.find((c) => c.fullName === 'Semantics>Created By Path');
    const byName = cats.find((c) => c.fullName === 'Created By Name');
    expect(byPath && byName).toBeTruthy();
    expect(sc.createMissing.entryOf('cm-1-v').categoryIds.sort()).toEqual([byPath!.id, byName!.id].sort());
    const f = sc.createMissing.file('cm-2-v');
    expect(f.state).toBe('FAILED');
    expect(f.lastError).toContain('parent "NoParent" does not exist');
    // Resolved once: the second meeting did not create the categories again.
    expect(cats.filter((c) => c.name === 'Created By Name')).toHaveLength(1);
  });
});

describe('opt-in / opt-out groups', () => {
  const rows: Array<[string, string, string | null, string]> = [
    // [scenario, host key, expected owner or null when excluded, reason fragment]
    ['optIn', 'alice', 'alice', ''], // member on page 2 of her 36 memberships
    ['optIn', 'erin', null, 'is in none of the opt-in groups'],
    ['optIn', 'newbie', null, 'owner zoom-default is in none of the opt-in groups'],
    ['optOut', 'alice', 'alice', ''],
    ['optOut', 'erin', null, 'opt-out group zoom-optout'],
    ['optInDefault', 'newbie', DEFAULT_OWNER, ''], // the default user's groups decide
    ['optInDefault', 'mallory', DEFAULT_OWNER, ''], // blocked host → default user
    ['optInDefault', 'alice', null, 'owner alice is in none of the opt-in groups'],
    ['optOutDefault', 'newbie', null, 'owner zoom-default is in opt-out group default-members'],
    ['optOutDefault', 'bob', 'bob@example.edu', ''],
  ];
  test.each(rows)('%s: host %s → %s', (name, key, owner, reason) => {
    const s = sc[name];
    const video = s.file(`${name}-${key}-v`);
    const audio = s.file(`${name}-${key}-a`);
    const zoomFiles = lab.zoom.state.meeting(`${name}-${key}`, s.accountId)!.files;
    if (owner === null) {
      for (const f of [video, audio]) {
        expect(f.state).toBe('IGNORED');
        expect(f.reasons.join('|')).toContain(reason);
      }
      expect(s.entriesOf(`${name}-${key}`)).toEqual([]);
      // Never deleted from Zoom, although deletion is on and its delay passed.
      expect(zoomFiles.map((f) => f.state)).toEqual(['live', 'live']);
    } else {
      expect(s.entryOf(video.zoomFileId).userId).toBe(owner);
      expect(video.state).toBe('PURGED');
      expect(zoomFiles.find((f) => f.id === video.zoomFileId)?.state).not.toBe('live');
    }
  });
});
