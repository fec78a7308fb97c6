/**
 * Issue 19: `zk backfill --dry-run` plans exactly what the real backfill does.
 * After a legacy import of the same days, the import's finished windows must
 * not make the dry run skip them: a backfill always re-scans.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { world, type World } from './world.js';

const DAY = 86_400_000;
let w: World;
beforeAll(async () => {
  w = await world({ generate: 30, generateFrom: new Date(Date.now() - 6 * DAY).toISOString() });
});
afterAll(() => w.close());

interface Plan {
  windows: { total: number; alreadyImported: number; failed: number };
  meetings: number;
  totals: { ingest: { files: number } };
  unfinished: number;
}
interface Summary {
  windows: { total: number; skipped: number; listed: number };
  meetings: number;
  newFiles: number;
  transfer: { total: number };
}

test('after an import of the same days, the dry run lists every window and every recording the real run lists', async () => {
  const from = new Date(w.clock.now() - 7 * DAY).toISOString().slice(0, 10);
  const imported = await w.zk(['import-legacy', '--from', from, '--json']);
  expect(imported.code).toBe(0);

  const dry = await w.zk(['backfill', '--window', '7d', '--dry-run', '--json']);
  expect(dry.code).toBe(0);
  const plan = JSON.parse(dry.stdout) as Plan;
  const text = await w.zk(['backfill', '--window', '7d', '--dry-run']);
  expect(text.stdout).toMatch(/^dry run: backfill /);

  const real = await w.zk(['backfill', '--window', '7d', '--json']);
  expect(real.code).toBe(0);
  const summary = JSON.parse(real.stdout) as Summary;

  expect(summary.windows.skipped).toBe(0);
  expect(plan.windows.alreadyImported).toBe(0);
  expect(plan.windows.total).toBe(summary.windows.total);
  expect(plan.meetings).toBeGreaterThan(0);
  expect(plan.meetings).toBe(summary.meetings);
  expect(plan.totals.ingest.files).toBe(summary.newFiles);
  expect(plan.unfinished).toBe(summary.transfer.total);
});
