/**
 * Settings that interact: cms_user_id matching with participants (the lookup
 * is disabled, as in Kaltura), the default user with groups, a webinar with
 * its categories, a host blocked in Kaltura, and the bundled demo data under
 * the sandbox's own configuration.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { sandboxConfig } from '../../../src/sandbox/index.js';
import { KALTURA_DEMO_CATEGORIES as CAT } from '../../../src/sandbox/seed/kaltura-demo.js';
import { ZOOM_DEMO_MEETING_IDS, ZOOM_DEMO_UUIDS } from '../../../src/sandbox/seed/zoom-demo.js';
import { closeWorlds, kalturaCalls, list, m4a, meeting, mp4, transcript, world, zoomCalls, ZU } from './harness.js';

afterEach(closeWorlds);

const harry = { id: 'u-harry', email: 'harry@example.edu', type: 2, status: 'active' as const, cmsUserId: 'hr-0042' };
const stranger = { id: 'u-stranger', email: 'stranger@example.edu', type: 2, status: 'active' as const };

describe('combinations', () => {
  test('cmsUserId matching + participants: the participant lookup is disabled; hosts still match through cms_user_id', async () => {
    const m = meeting('cms', {
      host: harry,
      alternativeHosts: [ZU.alice.email],
      metricsParticipants: [{ name: 'Frank', email: ZU.frank.email, role: 'cohost' }],
      participants: [{ name: 'Erin', email: ZU.erin.email }],
    });
    const w = await world({
      zoomUsers: [harry],
      kaltura: { users: [{ id: 'hr-0042' }] },
      meetings: [m],
      account: { owner: { matching: 'cmsUserId' }, permissions: { alternativeHosts: 'coEditor', coHosts: 'coPublisher', participants: 'coViewer' } },
    });
    expect(await w.run()).toBe(0);
    const e = w.entryOf('cms-sv');
    expect(e.userId).toBe('hr-0042');
    // alice's cms_user_id is "alice"; frank has none, so his email finds him.
    expect({ edit: list(e.entitledUsersEdit), publish: list(e.entitledUsersPublish), view: list(e.entitledUsersView) }).toEqual({ edit: ['alice'], publish: ['frank'], view: [] });
    expect(zoomCalls(w, '/report/meetings/')).toBe(0);
  });

  test('default user + opt-out: when the default user is in an opt-out group, unmatched hosts are excluded, matched ones are not', async () => {
    const w = await world({
      zoomUsers: [stranger],
      kaltura: { groups: [{ id: 'no-fallback', members: ['zoom-default'] }] },
      meetings: [meeting('do-stranger', { host: stranger }), meeting('do-bob', { host: ZU.bob })],
      account: { groups: { optOut: ['no-fallback'] } },
    });
    expect(await w.run()).toBe(0);
    expect(w.file('do-stranger-sv')).toMatchObject({ state: 'IGNORED', reason: 'policy: owner zoom-default is in opt-out group no-fallback (accounts[demo].groups.optOut)' });
    expect(w.entryOf('do-bob-sv').userId).toBe('bob@example.edu');
  });

  test('a webinar with its categories, opt-in group, panelists and a late transcript', async () => {
    const web = meeting('webc', {
      type: 6,
      host: ZU.alice,
      files: [mp4('webc-as', 'active_speaker'), mp4('webc-gv', 'gallery_view'), transcript('webc-tr', { completesAt: Date.now() + 600_000 })],
      panelists: [{ name: 'Bob', email: ZU.bob.email }],
      trackingFields: [{ field: 'KalturaCategory', value: 'Lab Recordings' }],
    });
    const w = await world({
      meetings: [web],
      account: {
        meetings: { upload: true, categories: [CAT.zoom] },
        webinars: { upload: true, categories: [CAT.zoomWebinars] },
        groups: { optIn: ['zoom-optin'] },
        permissions: { participants: 'coPublisher' },
      },
    });
    expect(await w.run()).toBe(0);
    const parent = w.entryOf('webc-as');
    expect(parent).toMatchObject({ userId: 'alice', categories: [CAT.zoomWebinars], entitledUsersPublish: 'bob@example.edu' });
    expect(w.entryOf('webc-gv')).toMatchObject({ parentEntryId: parent.id, categories: [], entitledUsersPublish: 'bob@example.edu' });
    expect(w.zoom.state.completeProcessing({ meetingUuid: web.uuid })).toBe(1);
    expect(await w.run()).toBe(0);
    expect(w.kaltura.state.entry(parent.id)!.captions.map((c) => c.label)).toEqual(['Zoom_TRANSCRIPT']);
    // The policy was resolved once for the segment: the late file did not look anything up again.
    expect(kalturaCalls(w, 'groupuser.list')).toBe(2);
  });

  test('a host blocked in Kaltura: never owner nor entitled, even with create; the default user owns it', async () => {
    const m = meeting('blk', {
      host: ZU.mallory,
      files: [mp4('blk-sv', 'speaker_view'), m4a('blk-audio')],
      alternativeHosts: [ZU.mallory.email, ZU.erin.email],
      participants: [{ name: 'Mallory', email: ZU.mallory.email }],
    });
    const w = await world({ meetings: [m], account: { owner: { onNoMatch: 'create', defaultUserId: 'zoom-default' }, permissions: { alternativeHosts: 'coEditor', participants: 'coViewer' } } });
    expect(await w.run()).toBe(0);
    const e = w.entryOf('blk-sv');
    expect(e.userId).toBe('zoom-default');
    expect(list(e.entitledUsersEdit)).toEqual(['erin@example.edu']);
    expect(list(e.entitledUsersView)).toEqual([]);
    expect(kalturaCalls(w, 'user.add')).toBe(0);
    expect(w.file('blk-audio').state).toBe('COVERED');
  });

  test('the demo data under the sandbox configuration', async () => {
    const w = await world({
      demoMeetings: true,
      mutate: (raw) => {
        // Back to the quick start's own account settings.
        const own = (sandboxConfig({ zoom: w0(), kaltura: k0() }, { database: raw.global.database }) as Record<string, any>).accounts[0];
        raw.accounts[0] = { ...own, delete: { enabled: false, delay: '1d', action: 'trash' } };
      },
    });
    expect(await w.run()).toBe(0);
    const U = ZOOM_DEMO_UUIDS;
    const byUuid = (uuid: string) => w.files().filter((f) => f.meetingUuid === uuid);

    // Lab meeting: shared screen with speaker view is the parent; tracking field category added; permissions by mode.
    const lab = w.entryOf('f-lab-ssv');
    expect(lab).toMatchObject({ userId: 'alice', tags: 'zoom', adminTags: 'zoomentry' });
    expect(lab.categories.sort()).toEqual([CAT.labRecordings, CAT.zoom].sort());
    expect(list(lab.entitledUsersEdit)).toEqual(['bob@example.edu']);
    expect(list(lab.entitledUsersPublish)).toEqual(['bob@example.edu']);
    expect(list(lab.entitledUsersView)).toEqual(['erin@example.edu']);
    expect(lab.captions.map((c) => `${c.label}/${c.language}`)).toEqual(['Zoom_TRANSCRIPT/English']);
    expect(lab.attachments.map((a) => a.filename)).toEqual([`Recording ${ZOOM_DEMO_MEETING_IDS.labMeeting} chat file.txt`]);
    for (const id of ['f-lab-sv', 'f-lab-gv']) expect(w.entryOf(id).parentEntryId).toBe(lab.id);
    expect(w.file('f-lab-audio').state).toBe('COVERED');
    expect(w.file('f-lab-timeline')).toMatchObject({ state: 'IGNORED', reason: 'type TIMELINE is not ingested' });

    // Webinar: its own category; panelists (bob, frank) as co-viewers, co-host frank as co-publisher.
    const web = w.entryOf('f-web-as');
    expect(web.categories).toEqual([CAT.zoomWebinars]);
    expect(list(web.entitledUsersView)).toEqual(['bob@example.edu', 'frank']);
    expect(list(web.entitledUsersPublish)).toEqual(['frank']);

    // Audio only: an audio entry. Blocked host: the default user. Two segments: two parents.
    expect(w.entryOf('f-phone-audio').mediaType).toBe(5);
    expect(w.entryOf('f-blocked-sv').userId).toBe('zoom-default');
    expect(byUuid(U.officeHours).filter((f) => f.role === 'parent')).toHaveLength(2);
    expect(w.file('f-frank-summary')).toMatchObject({ state: 'IGNORED', reason: 'type SUMMARY is not ingested' });
  });
});

// sandboxConfig only reads the emulators' URLs; the demo account settings do not depend on them.
const w0 = () => ({ apiUrl: 'http://127.0.0.1:1/v2', oauthUrl: 'http://127.0.0.1:1/oauth/token' }) as never;
const k0 = () => ({ url: 'http://127.0.0.1:1' }) as never;
