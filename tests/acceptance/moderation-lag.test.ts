/**
 * Issue 15, item 3: the crash-repair lookup by referenceId must see every entry
 * zk may have created. The compiled daemon is SIGKILLed right after media.add
 * (its answer lost), on a Kaltura partner that moderates new entries (hidden
 * from lists that name no moderation status) and on one whose search index
 * lags media.add; the restart must find the entry, not create a second one.
 */
import { afterEach, expect, test } from '@jest/globals';
import { assertExactlyOnce, fileRows, runBinary, statesOf, world, type World } from './harness.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const ACTIVE = ['PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT', 'PURGE_PENDING'];

async function restartUntilSettled(x: World, configFile: string): Promise<void> {
  for (let i = 0; i < 15; i++) {
    const r = await runBinary(configFile);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    if (!fileRows(x).some((f) => ACTIVE.includes(f.state))) return;
  }
  throw new Error(`not settled: ${JSON.stringify(statesOf(x))}`);
}

const CASES: Array<[string, { entryModeration?: boolean; indexLagMs?: number }, string]> = [
  // Moderation only: the entry is PENDING_MODERATION and stays hidden from a default media.list for ever.
  ['entry moderation', { entryModeration: true }, '1s'],
  // Index lag only: for 4 s after media.add the entry is in no list; the restart comes well within that.
  ['index lag', { indexLagMs: 4000 }, '5s'],
];

test.each(CASES)('SIGKILL after media.add with %s: the restart finds the entry, no duplicate', async (_name, faults, indexLag) => {
  w = await world({ deleteEnabled: true, deleteDelay: '0s', mutate: (raw) => (raw.kaltura.indexLag = indexLag) });
  w.sandbox.kaltura.setFaults(faults);
  const configFile = w.writeConfig();
  const crashed = await runBinary(configFile, { ZK_CRASH_AT: 'after-entry-create' });
  expect(crashed.signal).toBe('SIGKILL');
  const created = w.sandbox.kaltura.state.entries().filter((e) => e.referenceId?.startsWith('zk:'));
  // Two transfers run at once, so the other one's create may also have landed before the kill.
  expect(created.length).toBeGreaterThanOrEqual(1);
  await restartUntilSettled(w, configFile);
  await assertExactlyOnce(w, expect);
  // Every entry the killed daemon created is the one zk kept.
  for (const c of created) expect({ entry: c.id, state: fileRows(w).find((f) => f.kaltura_entry_id === c.id)?.state }).toEqual({ entry: c.id, state: 'PURGED' });
}, 120_000);
