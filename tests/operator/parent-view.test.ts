/**
 * Issue 17 item 1, end to end (emulators, SQLite, in-process daemon): the
 * parent of a multi-view segment is its best view whatever order Zoom finishes
 * the files in, and a view that never finishes holds the segment at most
 * global.parentViewWait, after which the best complete view wins.
 */
import { afterEach, expect, test } from '@jest/globals';
import type { ZoomSeedFile } from '../../src/sandbox/zoom/server.js';
import { world, type World } from './world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const UUID = 'orderIndependent00001==';

function addMeeting(w: World, processing: string[]): void {
  const now = w.clock.now();
  const start = new Date(now - 2 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const end = new Date(now - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const file = (id: string, fileType: string, fileExtension: string, recordingType: string, fileSize: number): ZoomSeedFile => ({
    id,
    fileType,
    fileExtension,
    recordingType,
    fileSize,
    recordingStart: start,
    recordingEnd: end,
    // Zoom lists a file it is still processing with a blank file_type: it may be any view.
    ...(processing.includes(id) ? { completesAt: now + 365 * 86_400_000, blankTypeWhileProcessing: true } : {}),
  });
  w.sandbox.zoom.state.addMeeting({
    uuid: UUID,
    id: 93_000_000_001,
    hostId: 'u-bob',
    hostEmail: 'bob@example.edu',
    topic: 'three views, a transcript and a chat',
    type: 2,
    startTime: start,
    durationMin: 60,
    files: [
      file('gv', 'MP4', 'MP4', 'gallery_view', 4096),
      file('ssv', 'MP4', 'MP4', 'shared_screen_with_speaker_view', 4096),
      file('sv', 'MP4', 'MP4', 'speaker_view', 4096),
      file('tr', 'TRANSCRIPT', 'VTT', 'audio_transcript', 300),
      file('ch', 'CHAT', 'TXT', 'chat_file', 200),
    ],
  });
}

function rows(w: World): Record<string, { state: string; role: string | null; entry: string | null }> {
  const db = w.db();
  try {
    const list = db.prepare('SELECT zoom_file_id AS id, state, role, kaltura_entry_id AS entry FROM files WHERE meeting_uuid = ?').all(UUID) as Array<{ id: string; state: string; role: string | null; entry: string | null }>;
    return Object.fromEntries(list.map((r) => [r.id, { state: r.state, role: r.role, entry: r.entry }]));
  } finally {
    db.close();
  }
}

function entry(w: World, id: string) {
  return w.sandbox.kaltura.state.entries().find((e) => e.id === id)!;
}

test('the best view is the parent although the gallery view completed first', async () => {
  w = await world();
  addMeeting(w, ['ssv', 'sv']);
  await w.runDaemon();
  // The gallery view is complete, but a better view may still come: no entry yet.
  const waiting = rows(w);
  expect(waiting.gv).toMatchObject({ state: 'PENDING', role: 'child', entry: null });
  expect(Object.values(waiting).some((r) => r.role === 'parent')).toBe(false);

  w.sandbox.zoom.state.completeProcessing({ fileId: 'sv' });
  await w.runDaemon();
  expect(Object.values(rows(w)).some((r) => r.role === 'parent')).toBe(false);

  w.sandbox.zoom.state.completeProcessing({ fileId: 'ssv' });
  await w.runDaemon();
  const done = rows(w);
  expect(done.ssv).toMatchObject({ state: 'HANDLED', role: 'parent' });
  const parent = entry(w, done.ssv.entry!);
  expect(parent.parentEntryId ?? '').toBe('');
  for (const child of ['gv', 'sv']) {
    expect(done[child]).toMatchObject({ state: 'HANDLED', role: 'child' });
    expect(entry(w, done[child].entry!).parentEntryId).toBe(parent.id);
  }
  // Captions and chat sit on the parent entry.
  expect(done.tr).toMatchObject({ state: 'HANDLED', role: 'caption', entry: parent.id });
  expect(done.ch).toMatchObject({ state: 'HANDLED', role: 'attachment', entry: parent.id });
  expect(parent.captions.map((c) => c.label)).toEqual(['Zoom_TRANSCRIPT']);
});

test('a view that never completes holds the segment at most global.parentViewWait; then the best complete view wins', async () => {
  w = await world({ mutate: (raw) => (raw.global.parentViewWait = '2h') });
  addMeeting(w, ['ssv']);
  await w.runDaemon();
  expect(Object.values(rows(w)).some((r) => r.role === 'parent')).toBe(false);

  w.clock.advance(2 * 3_600_000 + 60_000);
  await w.runDaemon();
  const done = rows(w);
  expect(done.sv).toMatchObject({ state: 'HANDLED', role: 'parent' });
  expect(done.gv).toMatchObject({ state: 'HANDLED', role: 'child' });
  expect(entry(w, done.gv.entry!).parentEntryId).toBe(done.sv.entry);
  expect(done.ssv.state).toBe('DETECTED');
  const db = w.db();
  try {
    const reason = db.prepare("SELECT reason FROM events e JOIN files f ON f.id = e.file_id WHERE f.zoom_file_id = 'sv' AND e.to_state = 'PENDING' ORDER BY e.id DESC").get() as { reason: string };
    expect(reason.reason).toMatch(/chosen after waiting for shared_screen_with_speaker_view still processing/);
  } finally {
    db.close();
  }
});
