/** The store side of `zk files retry/ignore`: its reads, its transaction, and that its change is the engine's write path. */
import { afterEach, expect, test } from '@jest/globals';
import { operatorFileWrites } from '../../src/store/operator-file-writes.js';
import { createEventsRepo } from '../../src/store/events-repo.js';
import { seededStore, type SeededStore } from './seed.js';

const stores: SeededStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function setup() {
  const s = seededStore();
  stores.push(s);
  s.account('main');
  s.account('med');
  return s;
}

test('failedIds lists FAILED files by id, of one account or of all', () => {
  const s = setup();
  const a = s.recording('main', 'u1', '2024-06-01T10:00:00Z');
  const b = s.recording('med', 'u2', '2024-06-01T11:00:00Z');
  const f1 = s.file(a, 'FAILED');
  s.file(a, 'PENDING');
  const f3 = s.file(b, 'FAILED');
  const f4 = s.file(a, 'FAILED');
  const store = operatorFileWrites(s.db, 1);
  expect(store.failedIds()).toEqual([f1, f3, f4]);
  expect(store.failedIds('main')).toEqual([f1, f4]);
  expect(store.failedIds('none')).toEqual([]);
});

test('companionIds lists the segment files with the given roles, leaving out the parent and finished ones', () => {
  const s = setup();
  const seg = s.recording('main', 'u1', '2024-06-01T10:00:00Z');
  const other = s.recording('main', 'u2', '2024-06-01T11:00:00Z');
  const parent = s.file(seg, 'PENDING', { role: 'parent' });
  const caption = s.file(seg, 'PENDING', { role: 'caption' });
  s.file(seg, 'PENDING', { role: 'child' });
  const chat = s.file(seg, 'HANDLED', { role: 'attachment' });
  s.file(seg, 'PURGED', { role: 'covered' });
  s.file(seg, 'IGNORED', { role: 'caption' });
  s.file(other, 'PENDING', { role: 'caption' });
  const store = operatorFileWrites(s.db, 1);
  expect(store.companionIds(seg, parent, ['caption', 'attachment', 'covered'])).toEqual([caption, chat]);
  expect(store.companionIds(seg, caption, ['caption'])).toEqual([]);
});

test("its writes are FilesRepo.transition stamped with the command's time, and atomically rolls back all of them on a throw", () => {
  const s = setup();
  const seg = s.recording('main', 'u1', '2024-06-01T10:00:00Z');
  const a = s.file(seg, 'FAILED');
  const b = s.file(seg, 'FAILED');
  const at = Date.parse('2024-07-01T00:00:00Z');
  const store = operatorFileWrites(s.db, at);
  expect(() =>
    store.atomically(() => {
      expect(store.files.transition(a, 'FAILED', 'PENDING', 'operator retry', { attempts: 0 }, { actor: 'cli' })).toBe(true);
      throw new Error('refused');
    }),
  ).toThrow('refused');
  expect(s.files.get(a)!.state).toBe('FAILED');
  expect(createEventsRepo(s.db).listForFile(a).map((e) => e.reason)).toEqual(['listed by Zoom', 'seeded']);

  expect(store.atomically(() => [a, b].map((id) => store.files.transition(id, 'FAILED', 'PENDING', 'operator retry', {}, { actor: 'cli' })))).toEqual([true, true]);
  expect(s.files.get(b)).toMatchObject({ state: 'PENDING', updatedAt: at });
  expect(createEventsRepo(s.db).listForFile(b).at(-1)).toMatchObject({ fromState: 'FAILED', toState: 'PENDING', reason: 'operator retry', actor: 'cli', at, account: 'main' });
});
