/** The reads of `zk files list/show`: filters, order, the limit, and a file's history in time order. */
import { afterEach, expect, test } from '@jest/globals';
import { fileListingReader } from '../../src/store/file-listing-query.js';
import { createEventsRepo } from '../../src/store/events-repo.js';
import { seededStore, type SeededStore } from './seed.js';

const stores: SeededStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function setup() {
  const s = seededStore();
  stores.push(s);
  s.account('main');
  s.account('med');
  const old = s.recording('main', 'uuid-old', '2024-05-01T09:00:00Z', 'Old lecture');
  const recent = s.recording('main', 'uuid-new', '2024-06-09T10:00:00Z', 'Recent lecture');
  const other = s.recording('med', 'uuid-med', '2024-06-08T10:00:00Z', 'Anatomy');
  const ids = {
    oldFailed: s.file(old, 'FAILED', { patch: { attempts: 8, lastError: 'timed out', lastErrorCode: 'IMPORT_TIMEOUT' } }),
    recentPending: s.file(recent, 'PENDING'),
    recentImporting: s.file(recent, 'IMPORTING', { fileType: 'M4A', patch: { leaseOwner: 'daemon-1', leaseUntil: 5 } }),
    medFailed: s.file(other, 'FAILED'),
  };
  return { s, ids, old, reader: fileListingReader(s.db) };
}

test('list: newest recording first, then highest id, with the segment topic and start', () => {
  const { ids, old, reader } = setup();
  const rows = reader.list({ limit: 100 });
  expect(rows.map((r) => r.id)).toEqual([ids.recentImporting, ids.recentPending, ids.medFailed, ids.oldFailed]);
  expect(rows[3]).toMatchObject({
    account: 'main', meetingUuid: 'uuid-old', recordingId: old, topic: 'Old lecture', recordingStart: '2024-05-01T09:00:00Z',
    fileType: 'MP4', state: 'FAILED', attempts: 8, lastError: 'timed out', lastErrorCode: 'IMPORT_TIMEOUT', leaseOwner: null,
  });
  expect(rows[0]).toMatchObject({ fileType: 'M4A', leaseOwner: 'daemon-1', leaseUntil: 5 });
});

test('list: states, account and recording-start filters combine; the limit caps the rows', () => {
  const { ids, reader } = setup();
  expect(reader.list({ states: ['FAILED'], limit: 100 }).map((r) => r.id)).toEqual([ids.medFailed, ids.oldFailed]);
  expect(reader.list({ states: ['FAILED', 'PENDING'], account: 'main', limit: 100 }).map((r) => r.id)).toEqual([ids.recentPending, ids.oldFailed]);
  expect(reader.list({ sinceMs: Date.parse('2024-06-08T10:00:00Z'), limit: 100 }).map((r) => r.id)).toEqual([ids.recentImporting, ids.recentPending, ids.medFailed]);
  expect(reader.list({ limit: 2 }).map((r) => r.id)).toEqual([ids.recentImporting, ids.recentPending]);
});

test('byId and byMeeting find the file, or every file of the meeting by id', () => {
  const { ids, reader } = setup();
  expect(reader.byId(ids.medFailed).map((r) => r.meetingUuid)).toEqual(['uuid-med']);
  expect(reader.byId(9999)).toEqual([]);
  expect(reader.byMeeting('uuid-new').map((r) => r.id)).toEqual([ids.recentPending, ids.recentImporting]);
  expect(reader.byMeeting('nope')).toEqual([]);
});

test('history is in time order, ties by id', () => {
  const { s, ids, reader } = setup();
  const events = createEventsRepo(s.db);
  events.append({ fileId: ids.medFailed, account: 'med', at: 10, fromState: 'FAILED', toState: 'PENDING', reason: 'later id, earlier time', actor: 'cli' });
  const history = reader.history(ids.medFailed);
  expect(history.map((e) => e.reason)).toEqual(['later id, earlier time', 'listed by Zoom', 'seeded']);
  expect(history[0]).toEqual({ id: expect.any(Number), at: 10, fromState: 'FAILED', toState: 'PENDING', reason: 'later id, earlier time', actor: 'cli' });
});
