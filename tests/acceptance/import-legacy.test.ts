/**
 * Issue 6 acceptance for `zk import-legacy` and `zk backfill`, through the
 * compiled binary against the emulators: 1,000 recordings since 2023-01-01
 * import completely, a second run changes nothing, --dry-run leaves Zoom,
 * Kaltura and the database byte-for-byte unchanged, an interrupted import
 * resumes, and imports never overlap.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { assertExactlyOnce, fileRows, ROOT, statesOf, world, type World } from './harness.js';
import { createLeases } from '../../src/store/leases.js';
import { IMPORT_LEASE } from '../../src/ops/import/run-import.js';
import { systemClock } from '../../src/util/clock.js';

const ZK = join(ROOT, 'bin', 'zk.js');
let w: World;
let configFile: string;

// Async on purpose: the emulators live in this process, so a blocking spawnSync would starve them.
function zk(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ZK, ...args, '--config', configFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function zoomState() {
  const { meetings, trashedFiles } = w.sandbox.zoom.state.snapshot() as { meetings: unknown; trashedFiles: unknown };
  return JSON.stringify({ meetings, trashedFiles });
}
function kalturaState() {
  const { callCounts: _calls, ...rest } = w.sandbox.kaltura.state.snapshot();
  return JSON.stringify(rest);
}
const CREATES = ['media.add', 'uploadtoken.add', 'caption_captionasset.add', 'attachment_attachmentasset.add', 'user.add'];
const creates = () => CREATES.map((k) => w.sandbox.kaltura.state.callCounts()[k] ?? 0);

beforeAll(async () => {
  w = await world({ generate: 1000, generateFrom: '2023-01-01T00:00:00Z', generatedFileSize: 2048, mutate: (raw) => {
      raw.global.log = { level: 'warn', format: 'json' };
      raw.global.concurrency = { transfers: 8, perAccount: 8 };
    },
  });
  // Nothing may change under the test's feet: the demo's late upload completes now, not mid-test.
  w.sandbox.zoom.state.completeProcessing();
  configFile = w.writeConfig();
  expect((await zk(['migrate'])).code).toBe(0);
});
afterAll(() => w.close());

test('bad input exits 2 naming the flag, the value and the fix', async () => {
  const cases: Array<[string[], string]> = [
    [['import-legacy', '--from', '2023-13-01'], '--from must be a date'],
    [['import-legacy', '--from', '2023-02-01', '--to', '2023-01-01'], 'before --from'],
    [['import-legacy', '--from', '2999-01-01'], 'in the future'],
    [['import-legacy', '--from', '2023-01-01', '--account', 'nope'], 'unknown account "nope"'],
    [['backfill', '--window', 'often'], '--window must be a duration'],
  ];
  for (const [args, message] of cases) {
    const r = await zk(args);
    expect({ args, code: r.code }).toEqual({ args, code: 2 });
    expect(r.stderr).toContain(message);
  }
});

test('--dry-run prints the plan and changes nothing in Zoom, Kaltura or the database', async () => {
  const before = { db: readFileSync(w.database), zoom: zoomState(), kaltura: kalturaState() };
  const r = await zk(['import-legacy', '--from', '2023-01-01', '--dry-run', '--json']);
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout) as { meetings: number; totals: { ingest: { files: number } }; skipReasons: Record<string, number>; files: Array<{ action: string }> };
  expect(plan.meetings).toBeGreaterThanOrEqual(1000);
  expect(plan.totals.ingest.files).toBeGreaterThanOrEqual(1000);
  expect(plan.files.length).toBeGreaterThan(plan.totals.ingest.files);
  expect(Buffer.compare(readFileSync(w.database), before.db)).toBe(0);
  expect(zoomState()).toBe(before.zoom);
  expect(kalturaState()).toBe(before.kaltura);
  const text = await zk(['import-legacy', '--from', '2023-01-01', '--dry-run']);
  expect(text.stdout).toContain('would ingest');
  expect(Buffer.compare(readFileSync(w.database), before.db)).toBe(0);
});

test('an import never overlaps another import or backfill (exit 75)', async () => {
  const db = new Database(w.database);
  const leases = createLeases(db, systemClock());
  expect(leases.tryAcquire(IMPORT_LEASE, 'someone-else', 60_000)).toBe(true);
  const r = await zk(['backfill', '--window', '7d']);
  expect(r.code).toBe(75);
  expect(r.stderr).toContain('another import or backfill is running');
  leases.release(IMPORT_LEASE, 'someone-else');
  db.close();
});

test('an interrupted import resumes; 1,000 recordings since 2023-01-01 complete; a second run changes nothing', async () => {
  // Interrupt the first run once it has started transferring.
  const first = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [ZK, 'import-legacy', '--from', '2023-01-01', '--config', configFile], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      if (stderr.includes('files to transfer') && !child.killed) setTimeout(() => child.kill('SIGINT'), 300);
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  expect(first.stderr).toContain('files to transfer');
  expect(first.code).toBe(3);
  expect(first.stderr).toContain('run the same command again');

  const second = await zk(['import-legacy', '--from', '2023-01-01', '--json']);
  expect(second.code).toBe(0);
  const summary = JSON.parse(second.stdout) as { windows: { skipped: number; listed: number; total: number }; states: Record<string, number>; pending: number };
  // Every window was completed by the interrupted run and is not listed again.
  expect(summary.windows.skipped).toBe(summary.windows.total);
  expect(summary.pending).toBe(0);
  const meetings = new Set(fileRows(w).filter((f) => ['HANDLED'].includes(f.state)).map((f) => f.meeting_uuid));
  expect(meetings.size).toBeGreaterThanOrEqual(1000);
  await assertExactlyOnce(w, expect);

  const states = statesOf(w);
  const before = creates();
  const zoomCalls = Object.values(w.sandbox.zoom.state.callCounts()).reduce((a, b) => a + b, 0);
  const again = await zk(['import-legacy', '--from', '2023-01-01', '--json']);
  expect(again.code).toBe(0);
  expect(statesOf(w)).toEqual(states);
  expect(creates()).toEqual(before);
  // Not even a listing: every window is recorded as done.
  expect(Object.values(w.sandbox.zoom.state.callCounts()).reduce((a, b) => a + b, 0)).toBe(zoomCalls);

  // A backfill re-scans (it lists) but finds nothing new to do.
  const backfill = await zk(['backfill', '--window', '30d', '--json']);
  expect(backfill.code).toBe(0);
  expect(JSON.parse(backfill.stdout).newFiles).toBe(0);
  expect(creates()).toEqual(before);
}, 300_000);
