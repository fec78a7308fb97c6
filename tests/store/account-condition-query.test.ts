/** All accounts' halts, pauses and degraded features at once, as the metrics scrape them. */
import { afterEach, expect, test } from '@jest/globals';
import { accountConditionReader } from '../../src/store/account-condition-query.js';
import { createAccountStateRepo } from '../../src/store/account-state-repo.js';
import { seededStore, type SeededStore } from './seed.js';

const stores: SeededStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

test('halts and pauses come first-recorded first; degraded features by account, then feature', () => {
  const s = seededStore(1000);
  stores.push(s);
  const state = createAccountStateRepo(s.db, s.clock);
  state.pause('zeta', 9000, 'daily limit');
  state.halt('alpha', { code: 'ZOOM_AUTH', source: 'zoom', reason: 'rejected', fix: 'renew', nextProbeAt: 2000 });
  state.degrade('zeta', 'participants', '4711', 'no scope');
  state.degrade('alpha', 'panelists', undefined, 'no scope');
  state.degrade('alpha', 'coHosts', '4711', 'no scope');
  s.clock.set(3000);
  state.clearPause('zeta');
  state.pause('beta', 7000, 'daily limit');

  const reader = accountConditionReader(s.db);
  expect(reader.haltsAndPauses()).toEqual([
    { account: 'zeta', haltedAt: null, pausedUntil: null },
    { account: 'alpha', haltedAt: 1000, pausedUntil: null },
    { account: 'beta', haltedAt: null, pausedUntil: 7000 },
  ]);
  expect(reader.degradedFeatures()).toEqual([
    { account: 'alpha', feature: 'coHosts' },
    { account: 'alpha', feature: 'panelists' },
    { account: 'zeta', feature: 'participants' },
  ]);
  state.restore('alpha', 'coHosts');
  expect(reader.degradedFeatures().map((d) => d.feature)).toEqual(['panelists', 'participants']);
});
