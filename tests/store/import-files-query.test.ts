/** The files of an import's accounts by state, and what zk holds of one listed Zoom file; also on a read-only database. */
import { afterEach, expect, test } from '@jest/globals';
import { importFilesReader } from '../../src/store/import-files-query.js';
import { openDatabase } from '../../src/store/db.js';
import { seededStore, type SeededStore } from './seed.js';

const stores: SeededStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function setup() {
  const s = seededStore();
  stores.push(s);
  for (const a of ['main', 'med', 'other']) s.account(a);
  const main = s.recording('main', 'u-main', '2024-06-01T10:00:00Z');
  const med = s.recording('med', 'u-med', '2024-06-01T10:00:00Z');
  const other = s.recording('other', 'u-other', '2024-06-01T10:00:00Z');
  s.file(main, 'PENDING');
  s.file(main, 'IMPORTING');
  s.file(main, 'HANDLED');
  s.file(med, 'RETRY_WAIT');
  s.file(med, 'IMPORTING');
  s.file(other, 'PENDING');
  return s;
}

test('counts only the chosen accounts: per state, and in a set of states (recounted as rows change)', () => {
  const s = setup();
  const files = importFilesReader(s.db, ['main', 'med']);
  expect(files.countsByState()).toEqual({ PENDING: 1, IMPORTING: 2, HANDLED: 1, RETRY_WAIT: 1 });
  expect(files.countIn(['PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT'])).toBe(4);
  expect(files.countIn(['IMPORTING'])).toBe(2);
  const importing = s.files.list({ state: 'IMPORTING', account: 'main' })[0]!;
  s.files.transition(importing.id, 'IMPORTING', 'HANDLED', 'ready');
  expect(files.countIn(['IMPORTING'])).toBe(1);
  expect(files.countIn(['PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT'])).toBe(3);
  expect(importFilesReader(s.db, ['nobody']).countsByState()).toEqual({});
});

test('stateOf names the state zk recorded for a Zoom file, or nothing; it works read-only', () => {
  const s = setup();
  const row = s.files.list({ account: 'med', state: 'RETRY_WAIT' })[0]!;
  const path = s.db.name;
  const ro = openDatabase(path, { readonly: true });
  try {
    const files = importFilesReader(ro, ['med']);
    expect(files.stateOf('med', 'u-med', row.zoomFileId)).toBe('RETRY_WAIT');
    expect(files.stateOf('med', 'u-med', 'unknown')).toBeUndefined();
    expect(files.stateOf('main', 'u-med', row.zoomFileId)).toBeUndefined();
  } finally {
    ro.close();
  }
});
