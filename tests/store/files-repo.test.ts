import { afterEach, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { openStore } from '../../src/store/migrate.js';
import { createFilesRepo } from '../../src/store/files-repo.js';
import { createRecordingsRepo } from '../../src/store/recordings-repo.js';
import { createEventsRepo } from '../../src/store/events-repo.js';
import { createAccountsRepo } from '../../src/store/accounts-repo.js';
import { createCursorRepo } from '../../src/store/cursor-repo.js';
import { tempDir } from '../helpers/tmp.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup() {
  const tmp = tempDir();
  const db = openStore(join(tmp.dir, 'zk.db'));
  cleanups.push(() => (db.close(), tmp.cleanup()));
  let now = 1000;
  const clock = { now: () => now };
  createAccountsRepo(db, clock).ensure({ name: 'main', zoomAccountId: 'z' });
  const recordings = createRecordingsRepo(db, clock);
  const recordingId = recordings.upsert({ account: 'main', meetingUuid: 'u', meetingId: 1, recordingStart: 's', topic: 't', meetingType: 2, startTime: 's' });
  const files = createFilesRepo(db, clock);
  const listed = { account: 'main', recordingId, meetingUuid: 'u', zoomFileId: 'f', fileType: 'MP4', fileExtension: 'MP4', recordingType: 'speaker_view', zoomStatus: 'completed', fileSize: 10, downloadUrl: 'https://x/f' };
  return { db, files, recordings, events: createEventsRepo(db), cursors: createCursorRepo(db, clock), listed, tick: (ms: number) => (now += ms) };
}

describe('files-repo', () => {
  test('upsert is idempotent on (account, meeting uuid, file id)', () => {
    const { files, listed, events, recordings } = setup();
    const a = files.upsertListed(listed);
    const b = files.upsertListed({ ...listed, fileSize: 20 });
    expect(a).toEqual({ id: b.id, created: true });
    expect(b.created).toBe(false);
    expect(files.get(a.id)!.fileSize).toBe(20);
    expect(events.listForFile(a.id).map((e) => e.reason)).toEqual(['listed by Zoom']);
    expect(recordings.upsert({ account: 'main', meetingUuid: 'u', meetingId: 1, recordingStart: 's', topic: 'renamed', meetingType: 2, startTime: 's' })).toBe(files.get(a.id)!.recordingId);
  });

  test('transition is a compare-and-set that writes row and event together', () => {
    const { files, listed, events, tick } = setup();
    const { id } = files.upsertListed(listed);
    tick(5);
    expect(files.transition(id, 'DETECTED', 'PENDING', 'complete', { role: 'parent' })).toBe(true);
    expect(files.transition(id, 'DETECTED', 'IGNORED', 'stale writer')).toBe(false);
    expect(files.transition(id, ['PENDING', 'RETRY_WAIT'], 'TRANSFERRING', 'started', { attempts: 0 }, 'import')).toBe(true);
    expect(files.get(id)).toMatchObject({ state: 'TRANSFERRING', role: 'parent', updatedAt: 1005 });
    const ev = events.listForFile(id);
    expect(ev.map((e) => [e.fromState, e.toState, e.reason, e.actor])).toEqual([
      [null, 'DETECTED', 'listed by Zoom', 'daemon'],
      ['DETECTED', 'PENDING', 'complete', 'daemon'],
      ['PENDING', 'TRANSFERRING', 'started', 'import'],
    ]);
    expect(() => files.transition(id, 'TRANSFERRING', 'IMPORTING', 'x', { state: 'HANDLED' } as never)).toThrow(/cannot be patched/);
    expect(files.get(id)!.state).toBe('TRANSFERRING');
    expect(events.listForFile(id)).toHaveLength(3);
  });

  test('a live lease held by another owner blocks a guarded transition and a claim', () => {
    const { files, listed, tick } = setup();
    const { id } = files.upsertListed(listed);
    expect(files.claim(id, 'import', 100)).toBe(true);
    expect(files.claim(id, 'daemon', 100)).toBe(false);
    expect(files.transition(id, 'DETECTED', 'PENDING', 'x', {}, { leaseOwner: 'daemon' })).toBe(false);
    tick(101);
    expect(files.claim(id, 'daemon', 100)).toBe(true);
    expect(files.transition(id, 'DETECTED', 'PENDING', 'x', {}, { leaseOwner: 'daemon' })).toBe(true);
  });

  test('revive only from FAILED, resetting attempts', () => {
    const { files, listed } = setup();
    const { id } = files.upsertListed(listed);
    expect(files.reviveFailed(id)).toBe(false);
    files.transition(id, 'DETECTED', 'FAILED', 'boom', { attempts: 8, lastError: 'boom' });
    expect(files.reviveFailed(id)).toBe(true);
    expect(files.get(id)).toMatchObject({ state: 'PENDING', attempts: 0, lastError: null });
  });

  test('cursor only advances; set moves it deliberately', () => {
    const { cursors } = setup();
    cursors.advance('main', '2025-03-01');
    cursors.advance('main', '2025-02-01');
    expect(cursors.get('main')).toBe('2025-03-01');
    cursors.set('main', '2024-01-01');
    expect(cursors.get('main')).toBe('2024-01-01');
    expect(() => cursors.advance('main', 'yesterday')).toThrow(/YYYY-MM-DD/);
  });
});
