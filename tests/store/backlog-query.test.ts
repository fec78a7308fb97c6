/** Files per state (one account, or every account at once) and an account's oldest waiting file. */
import { afterEach, expect, test } from '@jest/globals';
import { backlogReader } from '../../src/store/backlog-query.js';
import { seededStore, type SeededStore } from './seed.js';

const stores: SeededStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function setup() {
  const s = seededStore(1000);
  stores.push(s);
  s.account('main');
  s.account('med');
  const main = s.recording('main', 'u1', '2024-06-01T10:00:00Z');
  const med = s.recording('med', 'u2', '2024-06-01T10:00:00Z');
  s.clock.set(3000);
  const pendingLate = s.file(main, 'PENDING');
  s.clock.set(2000);
  const retryEarly = s.file(main, 'RETRY_WAIT');
  s.file(main, 'PENDING');
  s.file(main, 'HANDLED');
  s.file(med, 'FAILED');
  s.file(med, 'PENDING');
  return { s, pendingLate, retryEarly };
}

test('counts files per state, for one account and for every account at once', () => {
  const { s } = setup();
  const backlog = backlogReader(s.db);
  expect(backlog.countsByState('main')).toEqual({ PENDING: 2, RETRY_WAIT: 1, HANDLED: 1 });
  expect(backlog.countsByState('nobody')).toEqual({});
  expect(backlog.countsByAccountAndState()).toEqual([
    { account: 'main', state: 'HANDLED', n: 1 },
    { account: 'main', state: 'PENDING', n: 2 },
    { account: 'main', state: 'RETRY_WAIT', n: 1 },
    { account: 'med', state: 'FAILED', n: 1 },
    { account: 'med', state: 'PENDING', n: 1 },
  ]);
});

test('the oldest file among the given states is the first detected (ties by id)', () => {
  const { s, pendingLate, retryEarly } = setup();
  const backlog = backlogReader(s.db);
  expect(backlog.oldestIn('main', ['PENDING', 'RETRY_WAIT'])).toEqual({ id: retryEarly, state: 'RETRY_WAIT', detectedAt: 2000 });
  expect(backlog.oldestIn('main', ['PENDING'])).toEqual({ id: retryEarly + 1, state: 'PENDING', detectedAt: 2000 });
  expect(backlog.oldestIn('main', ['FAILED'])).toBeUndefined();
  expect(pendingLate).toBeLessThan(retryEarly);
});
