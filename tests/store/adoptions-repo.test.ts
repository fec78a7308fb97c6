/** Issue 22: adoption records are written once, with the state change they justify, in one transaction. */
import { afterEach, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { openStore } from '../../src/store/migrate.js';
import { createFilesRepo } from '../../src/store/files-repo.js';
import { createRecordingsRepo } from '../../src/store/recordings-repo.js';
import { createAccountsRepo } from '../../src/store/accounts-repo.js';
import { createAdoptionsRepo } from '../../src/store/adoptions-repo.js';
import { tempDir } from '../helpers/tmp.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup() {
  const tmp = tempDir();
  const db = openStore(join(tmp.dir, 'zk.db'));
  cleanups.push(() => (db.close(), tmp.cleanup()));
  const clock = { now: () => 1000 };
  createAccountsRepo(db, clock).ensure({ name: 'main', zoomAccountId: 'z' });
  const recordings = createRecordingsRepo(db, clock);
  const recordingId = recordings.upsert({ account: 'main', meetingUuid: 'u', meetingId: 1, recordingStart: 's', topic: 't', meetingType: 2, startTime: 's' });
  const files = createFilesRepo(db, clock);
  const add = (zoomFileId: string, role: 'parent' | 'child', state: 'PENDING' | 'TRANSFERRING') => {
    const { id } = files.upsertListed({ account: 'main', recordingId, meetingUuid: 'u', zoomFileId, fileType: 'MP4', fileExtension: 'MP4', recordingType: 'speaker_view', zoomStatus: 'completed', fileSize: 10, downloadUrl: 'https://x' });
    files.transition(id, 'DETECTED', 'PENDING', 'planned', { role });
    if (state === 'TRANSFERRING') files.transition(id, 'PENDING', 'TRANSFERRING', 'began');
    return id;
  };
  return { files, recordings, recordingId, add, adoptions: createAdoptionsRepo(db, clock, files) };
}

test("an adopt decision makes the integration's entry the segment parent and unstarted parents children, once", () => {
  const { files, recordings, recordingId, add, adoptions } = setup();
  const parent = add('a', 'parent', 'TRANSFERRING');
  expect(adoptions.decideSegment(recordingId, 'adopt', '0_p', 'READY')).toBe(true);
  expect(recordings.get(recordingId)!.parentEntryId).toBe('0_p');
  expect(files.get(parent)!.role).toBe('child');
  expect(adoptions.decideSegment(recordingId, 'conflict', null, 'again')).toBe(false);
  expect(adoptions.segment(recordingId)).toMatchObject({ decision: 'adopt', parentEntryId: '0_p' });
});

test('a segment that got its own parent entry meanwhile is not adopted (rolled back whole)', () => {
  const { recordings, recordingId, adoptions } = setup();
  recordings.setParentEntry(recordingId, '0_zk');
  expect(adoptions.decideSegment(recordingId, 'adopt', '0_p', 'READY')).toBe(false);
  expect(adoptions.segment(recordingId)).toBeUndefined();
  expect(recordings.get(recordingId)!.parentEntryId).toBe('0_zk');
});

test('one entry stands for one file: a second adoption of the same entry is refused', () => {
  const { files, add, adoptions } = setup();
  const a = add('a', 'child', 'PENDING');
  const b = add('b', 'child', 'PENDING');
  const opts = { actor: 'daemon' as const, leaseOwner: 'daemon' };
  expect(adoptions.adopt({ id: a, account: 'main' }, ['PENDING'], { kalturaEntryId: '0_c' }, 'adopted', 'bytes', opts)).toBe(true);
  expect(adoptions.adopt({ id: b, account: 'main' }, ['PENDING'], { kalturaEntryId: '0_c' }, 'adopted', 'bytes', opts)).toBe(false);
  expect([files.get(a)!.state, files.get(b)!.state]).toEqual(['HANDLED', 'PENDING']);
  expect(adoptions.file(b)).toBeUndefined();
  expect(adoptions.countByOutcome('main')).toEqual({ adopted: 1, conflict: 0, absent: 0 });
});
