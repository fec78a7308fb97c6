/**
 * Issue 15, items 2 and 4, end to end with deletion on: only `audio_only` is
 * covered by the segment's video; interpretation tracks become child audio
 * entries of the segment's parent (and only then leave Zoom); an M4A of a type
 * zk does not know stays in Zoom; a CC that Zoom lists without an id is
 * ingested but never deleted by a made-up id.
 */
import { afterEach, expect, test } from '@jest/globals';
import { assertExactlyOnce, settle, world, type World } from './harness.js';
import { ZOOM_DEMO_USERS } from '../../src/sandbox/seed/zoom-demo.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Row {
  id: number;
  state: string;
  role: string | null;
  zoom_file_id: string;
  kaltura_entry_id: string | null;
  recording_type: string;
}

test('interpretation audio is ingested as child audio, unknown audio and id-less CC stay in Zoom', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '0s' });
  const start = Math.floor(w.clock.now() / 60_000) * 60_000 - 5 * 3_600_000;
  const file = (id: string | undefined, fileType: string, ext: string, recordingType: string, fileSize: number, extra = {}) => ({
    id, fileType, fileExtension: ext, recordingType, fileSize, recordingStart: isoAt(start), recordingEnd: isoAt(start + 1_800_000), ...extra,
  });
  w.sandbox.zoom.state.addMeeting({
    uuid: 'interpUuid0==',
    id: 84_000_000_001,
    hostId: ZOOM_DEMO_USERS.alice.id!,
    hostEmail: ZOOM_DEMO_USERS.alice.email,
    topic: 'Multilingual lecture',
    type: 2,
    startTime: isoAt(start),
    durationMin: 30,
    files: [
      file('in-ssv', 'MP4', 'MP4', 'shared_screen_with_speaker_view', 50_000),
      file('in-audio', 'M4A', 'M4A', 'audio_only', 12_000),
      file('in-fr', 'M4A', 'M4A', 'audio_interpretation', 11_000),
      file('in-de', 'M4A', 'M4A', 'audio_interpretation', 11_500),
      file('in-odd', 'M4A', 'M4A', 'audio_some_new_kind', 9_000),
      file(undefined, 'CC', 'VTT', 'closed_caption', 3_000, { omitId: true }),
    ],
  });
  await settle(w);
  await assertExactlyOnce(w, expect);

  const db = w.db();
  const rows = db.prepare("SELECT f.id, f.state, f.role, f.zoom_file_id, f.kaltura_entry_id, f.recording_type FROM files f WHERE f.meeting_uuid = 'interpUuid0==' ORDER BY f.id").all() as Row[];
  db.close();
  const by = (pred: (r: Row) => boolean) => rows.filter(pred);
  const parent = by((r) => r.role === 'parent')[0];
  expect(parent.zoom_file_id).toBe('in-ssv');

  // Interpretation tracks: child audio entries of the parent, verified, then trashed.
  const interp = by((r) => r.recording_type === 'audio_interpretation');
  expect(interp.map((r) => [r.zoom_file_id, r.role, r.state])).toEqual([['in-fr', 'child', 'PURGED'], ['in-de', 'child', 'PURGED']]);
  for (const r of interp) {
    const e = w.sandbox.kaltura.state.entry(r.kaltura_entry_id!)!;
    expect({ status: e.status, mediaType: e.mediaType, parent: e.parentEntryId, name: e.name }).toEqual({
      status: 2, mediaType: 5, parent: parent.kaltura_entry_id, name: 'Multilingual lecture (interpretation audio)',
    });
  }
  // audio_only is covered: trashed only after the video was verified and purged.
  expect(by((r) => r.zoom_file_id === 'in-audio').map((r) => [r.role, r.state])).toEqual([['covered', 'PURGED']]);
  // Unknown audio: never ingested, never deleted.
  expect(by((r) => r.zoom_file_id === 'in-odd').map((r) => [r.role, r.state])).toEqual([['none', 'IGNORED']]);
  // CC without an id: on the parent as a caption, but it stays in Zoom and no DELETE used a made-up id.
  const cc = by((r) => r.zoom_file_id.startsWith('CC:'));
  expect(cc.map((r) => [r.role, r.state])).toEqual([['caption', 'HANDLED']]);
  expect(w.sandbox.kaltura.state.entry(parent.kaltura_entry_id!)!.captions.map((c) => [c.label, c.status])).toContainEqual(['Zoom_CC', 2]);
  const deletes = w.sandbox.zoom.state.fileDeleteRequests();
  expect(deletes.filter((d) => d.fileId.includes(':'))).toEqual([]);
  const zoomFiles = w.sandbox.zoom.state.meeting('interpUuid0==')!.files;
  const stateOf = (pred: (f: (typeof zoomFiles)[number]) => boolean) => zoomFiles.filter(pred).map((f) => f.state);
  expect(stateOf((f) => f.fileType === 'CC')).toEqual(['live']);
  expect(stateOf((f) => f.id === 'in-odd')).toEqual(['live']);
  expect(stateOf((f) => f.recordingType === 'audio_interpretation')).toEqual(['trashed', 'trashed']);
}, 60_000);
