/**
 * Multi-stream: segments by recording_start, the parent by Kaltura's layout
 * priority, other videos as children (parentEntryId, no categories), audio
 * only when a segment has no video (as an audio entry), other recording types
 * IGNORED with the reason, and a complete entry set when files finish late.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { KALTURA_DEMO_CATEGORIES as CAT } from '../../../src/sandbox/seed/kaltura-demo.js';
import { chat, closeWorlds, kalturaCalls, m4a, MIN, meeting, mp4, transcript, world, type FileSpec } from './harness.js';

afterEach(closeWorlds);

const PRIORITY = [
  'shared_screen_with_speaker_view(CC)',
  'shared_screen_with_speaker_view',
  'shared_screen_with_gallery_view',
  'shared_screen',
  'speaker_view',
  'active_speaker',
  'gallery_view',
];

/** Meetings whose layouts are listed in the worst order; `parent` is the one that must win. */
const LAYOUT_CASES: Array<{ name: string; layouts: string[]; parent: string }> = [
  // every layout: the top one wins, whatever the listing order
  { name: 'all', layouts: [...PRIORITY].reverse(), parent: PRIORITY[0] },
  // drop the winner one by one: the next in line becomes the parent
  ...PRIORITY.slice(1).map((winner, i) => ({ name: `from${i + 1}`, layouts: [...PRIORITY.slice(i + 1)].reverse(), parent: winner })),
  // a layout Kaltura does not know ranks after every known one
  { name: 'unknown', layouts: ['interpretation_view', 'gallery_view'], parent: 'gallery_view' },
];

describe('multi-stream', () => {
  test('the parent follows the layout priority; every other video is its child; categories on the parent only', async () => {
    const meetings = LAYOUT_CASES.map((c) =>
      meeting(`ly-${c.name}`, { files: [...c.layouts.map((l, i) => mp4(`ly-${c.name}-${i}`, l)), m4a(`ly-${c.name}-audio`), transcript(`ly-${c.name}-tr`)] }),
    );
    const w = await world({ meetings, account: { meetings: { upload: true, categories: [CAT.zoom] } } });
    expect(await w.run()).toBe(0);
    for (const c of LAYOUT_CASES) {
      const ids = c.layouts.map((_, i) => `ly-${c.name}-${i}`);
      const parentId = ids[c.layouts.indexOf(c.parent)];
      const parent = w.entryOf(parentId);
      expect({ case: c.name, role: w.file(parentId).role, parentEntryId: parent.parentEntryId, categories: parent.categories, mediaType: parent.mediaType }).toEqual({
        case: c.name,
        role: 'parent',
        parentEntryId: undefined,
        categories: [CAT.zoom],
        mediaType: 1,
      });
      for (const id of ids.filter((x) => x !== parentId)) {
        const child = w.entryOf(id);
        expect({ id, role: w.file(id).role, parentEntryId: child.parentEntryId, categories: child.categories }).toEqual({ id, role: 'child', parentEntryId: parent.id, categories: [] });
      }
      // The segment has video: the M4A is covered (no entry), the transcript is on the parent.
      expect(w.file(`ly-${c.name}-audio`)).toMatchObject({ state: 'COVERED', kalturaEntryId: null });
      expect(parent.captions.map((x) => x.label)).toEqual(['Zoom_TRANSCRIPT']);
    }
    const expectedEntries = LAYOUT_CASES.reduce((n, c) => n + c.layouts.length, 0);
    expect(w.entries()).toHaveLength(expectedEntries);
  });

  test('an audio-only segment becomes one audio entry with its transcript and chat', async () => {
    const w = await world({
      meetings: [meeting('audio', { files: [m4a('audio-a'), transcript('audio-tr'), chat('audio-chat')] })],
      account: { meetings: { upload: true, categories: [CAT.zoom] } },
    });
    expect(await w.run()).toBe(0);
    const e = w.entryOf('audio-a');
    expect(e).toMatchObject({ mediaType: 5, parentEntryId: undefined, categories: [CAT.zoom] });
    expect(e.captions.map((c) => c.label)).toEqual(['Zoom_TRANSCRIPT']);
    expect(e.attachments).toHaveLength(1);
    expect(w.entries()).toHaveLength(1);
  });

  test('audio waits while a video of its segment is still processing without a type; then it is covered', async () => {
    const later = Date.now() + 30 * MIN;
    const m = meeting('wait', {
      files: [m4a('wait-audio'), mp4('wait-ssv', 'shared_screen_with_speaker_view', { completesAt: later, blankTypeWhileProcessing: true }), transcript('wait-tr')],
    });
    const w = await world({ meetings: [m] });
    expect(await w.run()).toBe(0);
    // Nothing is the parent yet: the audio must not become an audio entry with the video as its child.
    expect(w.entries()).toHaveLength(0);
    expect(w.file('wait-audio').state).toBe('DETECTED');
    expect(w.zoom.state.completeProcessing({ meetingUuid: m.uuid })).toBe(1);
    expect(await w.run()).toBe(0);
    const parent = w.entryOf('wait-ssv');
    expect(parent).toMatchObject({ mediaType: 1, parentEntryId: undefined });
    expect(parent.captions).toHaveLength(1);
    expect(w.file('wait-audio')).toMatchObject({ state: 'COVERED', kalturaEntryId: null });
    expect(w.entries()).toHaveLength(1);
  });

  test('recording types zk does not ingest are IGNORED with the reason, and stay in Zoom', async () => {
    const others: FileSpec[] = [
      { id: 'oth-timeline', fileType: 'TIMELINE', recordingType: 'timeline' },
      { id: 'oth-summary', fileType: 'SUMMARY', recordingType: 'summary' },
      { id: 'oth-csv', fileType: 'CSV', recordingType: 'poll' },
      { id: 'oth-summary-next', fileType: 'SUMMARY_NEXT_STEPS', recordingType: 'summary_next_steps', ext: 'JSON' },
    ];
    const m = meeting('oth', { files: [mp4('oth-sv', 'speaker_view'), ...others] });
    const w = await world({ meetings: [m], account: { delete: { enabled: true, delay: '1m', action: 'trash' } } });
    expect(await w.run()).toBe(0);
    for (const f of others) expect(w.file(f.id)).toMatchObject({ state: 'IGNORED', reason: `type ${f.fileType} is not ingested`, kalturaEntryId: null });
    w.clock.advance(5 * MIN);
    expect(await w.run()).toBe(0);
    const zoomFiles = w.zoom.state.meeting(m.uuid)!.files;
    expect(zoomFiles.filter((f) => f.state !== 'live').map((f) => f.id)).toEqual(['oth-sv']);
  });

  test('each recording_start is its own segment with its own parent and children', async () => {
    const files = [0, 40].flatMap((segment) => [
      mp4(`seg${segment}-gv`, 'gallery_view', { segment }),
      mp4(`seg${segment}-ssv`, 'shared_screen_with_speaker_view', { segment }),
      transcript(`seg${segment}-tr`, { segment }),
    ]);
    const m = meeting('seg', { files });
    const w = await world({ meetings: [m] });
    expect(await w.run()).toBe(0);
    const parents = [0, 40].map((s) => w.entryOf(`seg${s}-ssv`));
    expect(parents[0].id).not.toBe(parents[1].id);
    for (const [i, s] of [0, 40].entries()) {
      expect(w.entryOf(`seg${s}-gv`).parentEntryId).toBe(parents[i].id);
      expect(parents[i].captions).toHaveLength(1);
      // The description carries the segment's own start, in UTC.
      const start = m.files.find((f) => f.id === `seg${s}-ssv`)!.recordingStart;
      expect(parents[i].description).toContain(`Start (UTC): ${new Date(start).toISOString()}`);
    }
    expect(parents[0].description).not.toBe(parents[1].description);
  });

  test('files that complete at different times still give one parent, all children under it, nothing twice', async () => {
    const later = Date.now() + 30 * MIN;
    const m = meeting('late', {
      files: [
        mp4('late-sv', 'speaker_view'),
        mp4('late-gv', 'gallery_view', { completesAt: later }),
        // still processing and listed without a type: it may be the best view, so the segment waits for it (issue 17)
        mp4('late-ssv', 'shared_screen_with_speaker_view', { completesAt: later, blankTypeWhileProcessing: true }),
        transcript('late-tr', { completesAt: later, blankTypeWhileProcessing: true }),
        chat('late-chat', { completesAt: later }),
      ],
    });
    const w = await world({ meetings: [m] });
    expect(await w.run()).toBe(0);
    // The complete speaker view waits as a child without a parent: no entry before the best view is known.
    expect({ state: w.file('late-sv').state, role: w.file('late-sv').role }).toEqual({ state: 'PENDING', role: 'child' });
    for (const id of ['late-gv', 'late-ssv', 'late-tr', 'late-chat']) expect({ id, state: w.file(id).state }).toEqual({ id, state: 'DETECTED' });
    expect(w.entries()).toHaveLength(0);

    expect(w.zoom.state.completeProcessing({ meetingUuid: m.uuid })).toBe(4);
    expect(await w.run()).toBe(0);
    // The best view is the parent, whatever order the files completed in.
    const parent = w.entryOf('late-ssv');
    expect(w.file('late-ssv').role).toBe('parent');
    for (const id of ['late-gv', 'late-sv']) expect({ id, role: w.file(id).role, parent: w.entryOf(id).parentEntryId }).toEqual({ id, role: 'child', parent: parent.id });
    const after = w.kaltura.state.entry(parent.id)!;
    expect(after.captions.map((c) => c.label)).toEqual(['Zoom_TRANSCRIPT']);
    expect(after.attachments).toHaveLength(1);
    expect(w.entries()).toHaveLength(3);

    // Another pass changes nothing.
    const adds = ['media.add', 'caption_captionasset.add', 'attachment_attachmentasset.add'].map((k) => kalturaCalls(w, k));
    expect(await w.run()).toBe(0);
    expect(['media.add', 'caption_captionasset.add', 'attachment_attachmentasset.add'].map((k) => kalturaCalls(w, k))).toEqual(adds);
  });
});
