/** Every account the operator views show: with its cursor in first-recorded order, and names alphabetically. */
import { afterEach, expect, test } from '@jest/globals';
import { accountOverview } from '../../src/store/account-overview-query.js';
import { createAccountsRepo } from '../../src/store/accounts-repo.js';
import { createCursorRepo } from '../../src/store/cursor-repo.js';
import { seededStore, type SeededStore } from './seed.js';

const stores: SeededStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

test('rows keep the order accounts were first recorded, with poll, error, enabled flag and cursor', () => {
  const s = seededStore(5000);
  stores.push(s);
  const accounts = createAccountsRepo(s.db, s.clock);
  accounts.ensure({ name: 'zeta', zoomAccountId: 'z-1', description: 'last letter', enabled: false });
  accounts.ensure({ name: 'alpha', zoomAccountId: 'a-1' });
  accounts.recordPollOk('alpha');
  accounts.recordError('zeta', 'token rejected');
  createCursorRepo(s.db, s.clock).set('alpha', '2024-06-09');
  // Refreshing from config keeps the row where it was.
  accounts.ensure({ name: 'zeta', zoomAccountId: 'z-2', description: 'last letter', enabled: false });

  expect(accountOverview(s.db).rows()).toEqual([
    { name: 'zeta', zoomAccountId: 'z-2', description: 'last letter', enabled: false, lastPollOkAt: null, lastError: 'token rejected', lastErrorAt: 5000, scannedThrough: null },
    { name: 'alpha', zoomAccountId: 'a-1', description: '', enabled: true, lastPollOkAt: 5000, lastError: null, lastErrorAt: null, scannedThrough: '2024-06-09' },
  ]);
  expect(accountOverview(s.db).names()).toEqual(['alpha', 'zeta']);
});

test('an empty database has no accounts', () => {
  const s = seededStore();
  stores.push(s);
  expect(accountOverview(s.db).rows()).toEqual([]);
  expect(accountOverview(s.db).names()).toEqual([]);
});
