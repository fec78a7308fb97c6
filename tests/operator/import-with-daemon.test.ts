/**
 * Issue 6: `zk import-legacy` while a daemon runs on the same database. The
 * daemon's lookback covers the whole import range, so both discover the same
 * files and compete for them: SQLite row claims decide who works each file,
 * and the result is every file handled once, one Kaltura entry per file.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startDaemon } from '../../src/daemon/daemon.js';
import { count, duplicateEntries, silentLogger, statesOf, world, type World } from './world.js';

const DAY = 86_400_000;
let w: World;

beforeAll(async () => {
  w = await world({
    generate: 150,
    generateFrom: new Date(Date.now() - 60 * DAY).toISOString(),
    generatedFileSize: 1024,
    mutate(raw) {
      raw.global.lookback = '70d';
      raw.accounts[0].permissions = { alternativeHosts: 'coEditor' };
    },
  });
});
afterAll(() => w.close());

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(statesOf(w))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('import and daemon on one database: no duplicates, every file handled exactly once', async () => {
  const daemon = await startDaemon({ config: w.config(), clock: w.clock, logger: silentLogger, workIntervalMs: 5, lockTtlMs: 5_000 });
  let importRun;
  try {
    // Start the import once the daemon has begun recording, so they overlap for real.
    await until('daemon polling', () => count(w, 'SELECT COUNT(*) AS n FROM files') > 0, 20_000);
    importRun = await w.zk(['import-legacy', '--from', new Date(Date.now() - 61 * DAY).toISOString().slice(0, 10), '--json']);
    await until('daemon idle', () => {
      const s = statesOf(w);
      return !s.PENDING && !s.TRANSFERRING && !s.IMPORTING && !s.RETRY_WAIT;
    });
  } finally {
    await daemon.stop('test over');
  }
  expect(importRun.stderr).toBe('');
  expect(importRun.code).toBe(0);

  expect(duplicateEntries(w)).toEqual([]);
  const handled = count(w, "SELECT COUNT(*) AS n FROM files WHERE state = 'HANDLED'");
  expect(count(w, "SELECT COUNT(DISTINCT meeting_uuid) AS n FROM files WHERE state = 'HANDLED' AND role = 'parent'")).toBeGreaterThanOrEqual(150);
  expect(count(w, "SELECT COUNT(*) AS n FROM files WHERE state = 'FAILED'")).toBe(0);
  // One HANDLED transition per file, whoever did it; both processes did real work.
  expect(count(w, "SELECT COUNT(*) AS n FROM events WHERE to_state = 'HANDLED'")).toBe(handled);
  const byActor = Object.fromEntries(
    (w.db().prepare("SELECT actor, COUNT(*) AS n FROM events WHERE to_state = 'TRANSFERRING' GROUP BY actor").all() as Array<{ actor: string; n: number }>).map((r) => [r.actor, r.n]),
  );
  expect(byActor.daemon).toBeGreaterThan(0);
  expect(byActor.import).toBeGreaterThan(0);
  // Each media file reached Kaltura exactly once: entries with a referenceId equal the media rows handled.
  const media = count(w, "SELECT COUNT(*) AS n FROM files WHERE state = 'HANDLED' AND role IN ('parent','child','audio')");
  expect(w.sandbox.kaltura.state.entries().filter((e) => e.referenceId && e.status !== 3).length).toBe(media);
  // Nothing was ever claimed by both at once: no row is left leased.
  expect(w.db().prepare('SELECT id, state, role, lease_owner, lease_until, zoom_status FROM files WHERE lease_owner IS NOT NULL').all()).toEqual([]);
}, 120_000);
