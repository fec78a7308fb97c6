/**
 * Issue 6 acceptance for `zk import-legacy`, in-process through buildZkProgram
 * against the emulators over HTTP: 1,000 recordings spread from 2023-01-01 to
 * now; bad input; --dry-run changes nothing (DB bytes, Zoom, Kaltura); an
 * import interrupted (AbortSignal) mid-listing and mid-transfer resumes
 * without duplicates; the finished import re-run changes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { createEngine } from '../../src/ingest/engine.js';
import type { EngineAccount } from '../../src/ingest/context.js';
import { kalturaSinkFor, zoomSourceFor } from '../../src/wiring/adapters.js';
import { perAccountPolicy } from '../../src/wiring/entry-policy.js';
import { openStore } from '../../src/store/migrate.js';
import { createRepos } from '../../src/store/repos.js';
import { runImport, type ImportProgress } from '../../src/ops/import/run-import.js';
import { quietProgress } from '../../src/ops/import/progress.js';
import { count, duplicateEntries, kalturaState, runZk, silentLogger, statesOf, world, zoomState, type World } from './world.js';

const GENERATED = 1000;
const FROM = '2023-01-01';
let w: World;

beforeAll(async () => {
  w = await world({
    generate: GENERATED,
    generateFrom: `${FROM}T00:00:00Z`,
    generatedFileSize: 1024,
    mutate(raw) {
      // Speed only: more transfers at once, and no participant lookups (Zoom's Heavy rate-limit category
      // caps those at 40/s, which would make this test wait ~50 s on rate limits alone).
      raw.global.concurrency = { transfers: 8, perAccount: 8 };
      raw.accounts[0].permissions = { alternativeHosts: 'coEditor' };
    },
  });
});
afterAll(() => w.close());

const today = () => new Date(w.clock.now()).toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const dbBytes = () => (existsSync(w.database) ? readFileSync(w.database) : Buffer.alloc(0));
const walBytes = () => (existsSync(`${w.database}-wal`) ? readFileSync(`${w.database}-wal`) : Buffer.alloc(0));
/** Kaltura calls other than reads: a dry run reads what Kaltura's Zoom integration made (adoption), never writes. */
const kalturaWrites = () => JSON.stringify(Object.entries(w.sandbox.kaltura.state.callCounts()).filter(([call]) => !/\.(list|get|start)$/.test(call)));

describe('bad input exits 2 naming the flag, the value and the fix', () => {
  const cases: Array<[string, () => string[], string[]]> = [
    ['not a date', () => ['import-legacy', '--from', '2023-13-01'], ['--from', '2023-13-01', 'YYYY-MM-DD']],
    ['not a date (--to)', () => ['import-legacy', '--from', FROM, '--to', 'yesterday'], ['--to', 'yesterday', 'YYYY-MM-DD']],
    ['--to before --from', () => ['import-legacy', '--from', '2023-02-01', '--to', '2023-01-01'], ['--to 2023-01-01', '--from 2023-02-01', 'swap']],
    ['future --from', () => ['import-legacy', '--from', tomorrow()], ['--from', tomorrow(), 'future']],
    ['future --to', () => ['import-legacy', '--from', FROM, '--to', tomorrow()], ['--to', tomorrow(), 'future']],
    ['unknown account', () => ['import-legacy', '--from', FROM, '--account', 'nope'], ['--account', 'nope', 'demo']],
    ['missing --from', () => ['import-legacy'], ['--from']],
    ['bad --window', () => ['backfill', '--window', 'often'], ['--window', 'often', '7d']],
    ['unknown account (backfill)', () => ['backfill', '--window', '7d', '--account', 'nope'], ['--account', 'nope']],
  ];
  test.each(cases)('%s', async (_name, args, words) => {
    const r = await w.zk(args());
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(words[0]) });
    for (const word of words) expect(r.stderr).toContain(word);
    // Nothing was contacted or created.
    expect(existsSync(w.database)).toBe(false);
  });
});

test('--dry-run without a database: prints the plan and creates nothing', async () => {
  const zoomBefore = zoomState(w);
  const kalturaBefore = kalturaState(w);
  const kalturaCalls = kalturaWrites();
  const r = await w.zk(['import-legacy', '--from', FROM, '--dry-run']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('would ingest');
  expect(r.stdout).toContain('would skip');
  expect(r.stdout).toContain('would later delete');
  expect(existsSync(w.database)).toBe(false);
  expect(zoomState(w)).toBe(zoomBefore);
  expect(kalturaState(w)).toBe(kalturaBefore);
  // Not a single Kaltura write: the plan needs Zoom's listing and, for adoption, Kaltura lookups.
  expect(kalturaWrites()).toBe(kalturaCalls);
});

test('an import interrupted while listing, then while transferring, resumes with no duplicates', async () => {
  expect((await w.zk(['migrate'])).code).toBe(0);
  const config = w.config();
  const acct = config.accounts[0];
  async function interruptedRun(stopWhen: (p: { windows: number; rounds: number }) => boolean) {
    const db = openStore(config.global.database);
    const accounts: EngineAccount[] = [{ config: acct, source: zoomSourceFor(config, acct, { clock: w.clock }), sink: kalturaSinkFor(config, { clock: w.clock }) }];
    const engine = createEngine({
      repos: createRepos(db, w.clock),
      clock: w.clock,
      config: { global: config.global, kaltura: config.kaltura },
      accounts,
      policy: perAccountPolicy(config, accounts, silentLogger),
      actor: 'import',
      owner: 'import',
    });
    const controller = new AbortController();
    const seen = { windows: 0, rounds: 0 };
    const progress: ImportProgress = {
      ...quietProgress(),
      windowDone() {
        seen.windows++;
        if (stopWhen(seen)) controller.abort(new Error('interrupted by the test'));
      },
      transferRound() {
        seen.rounds++;
        if (stopWhen(seen)) controller.abort(new Error('interrupted by the test'));
      },
    };
    try {
      return await runImport(
        { db, engine, clock: w.clock, owner: 'import', lockOwner: 'test-import', progress },
        { accounts: ['demo'], from: FROM, to: today(), resume: true, work: true, signal: controller.signal },
      );
    } finally {
      await engine.stop();
      db.close();
    }
  }

  // 1. Stopped after 5 windows were listed: only those are recorded as done.
  const first = await interruptedRun((s) => s.windows >= 5);
  expect(first.windows.total).toBeGreaterThan(30);
  const done1 = count(w, "SELECT COUNT(*) AS n FROM import_windows WHERE state = 'done'");
  expect(done1).toBeGreaterThanOrEqual(5);
  expect(done1).toBeLessThan(first.windows.total);
  expect(count(w, 'SELECT COUNT(*) AS n FROM leases WHERE name = ?', 'import')).toBe(0);

  // 2. The re-run skips those windows, lists the rest, and is stopped after two transfer rounds.
  const second = await interruptedRun((s) => s.rounds >= 2);
  expect(second.windows.skipped).toBe(done1);
  expect(second.windows.listed + second.windows.skipped).toBe(second.windows.total);
  const handledMidway = statesOf(w).HANDLED ?? 0;
  expect(handledMidway).toBeGreaterThan(0);
  expect(second.pending).toBeGreaterThan(0);

  // 3. The CLI finishes it: nothing listed again, every file handled once.
  const zoomListBefore = w.sandbox.zoom.state.callCounts()['GET /accounts/{accountId}/recordings'] ?? 0;
  const third = await w.zk(['import-legacy', '--from', FROM, '--json']);
  expect(third.stderr).toBe('');
  expect(third.code).toBe(0);
  const summary = JSON.parse(third.stdout) as { windows: { total: number; skipped: number; listed: number }; newFiles: number; pending: number; failed: number };
  expect(summary.windows.skipped).toBe(summary.windows.total);
  expect(summary.newFiles).toBe(0);
  expect(summary.pending).toBe(0);
  expect(summary.failed).toBe(0);
  expect(w.sandbox.zoom.state.callCounts()['GET /accounts/{accountId}/recordings'] ?? 0).toBe(zoomListBefore);

  expect(duplicateEntries(w)).toEqual([]);
  // Every one of the 1,000 generated meetings (plus the demo set) has its media verified in Kaltura.
  const handledMeetings = count(w, "SELECT COUNT(DISTINCT meeting_uuid) AS n FROM files WHERE state = 'HANDLED' AND role = 'parent'");
  expect(handledMeetings).toBeGreaterThanOrEqual(GENERATED);
  const stuck = count(w, "SELECT COUNT(*) AS n FROM files WHERE state IN ('PENDING','TRANSFERRING','IMPORTING','RETRY_WAIT','FAILED')");
  expect(stuck).toBe(0);
  // Exactly one HANDLED transition per file: no file was worked twice to completion.
  expect(count(w, "SELECT COUNT(*) AS n FROM (SELECT file_id FROM events WHERE to_state = 'HANDLED' GROUP BY file_id HAVING COUNT(*) > 1)")).toBe(0);
  const ready = w.sandbox.kaltura.state.entries().filter((e) => e.status === 2 && e.referenceId).length;
  expect(ready).toBe(count(w, "SELECT COUNT(DISTINCT kaltura_entry_id) AS n FROM files WHERE state = 'HANDLED' AND kaltura_entry_id IS NOT NULL"));
  // Every event of the import is attributed to it.
  expect(count(w, "SELECT COUNT(*) AS n FROM events WHERE actor <> 'import'")).toBe(0);
}, 120_000);

test('a completed import re-run changes nothing: no listing, no events, no Kaltura writes', async () => {
  const states = statesOf(w);
  const events = count(w, 'SELECT COUNT(*) AS n FROM events');
  const kaltura = kalturaState(w);
  const zoomCalls = JSON.stringify(w.sandbox.zoom.state.callCounts());
  const r = await w.zk(['import-legacy', '--from', FROM]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('already imported');
  expect(statesOf(w)).toEqual(states);
  expect(count(w, 'SELECT COUNT(*) AS n FROM events')).toBe(events);
  expect(kalturaState(w)).toBe(kaltura);
  expect(JSON.stringify(w.sandbox.zoom.state.callCounts())).toBe(zoomCalls);
});

test('--dry-run with a database: the plan knows what zk holds; DB bytes, Zoom and Kaltura unchanged', async () => {
  // A meeting zk has never seen, inside the range.
  w.sandbox.zoom.state.addMeeting({
    uuid: 'dryRunMeeting0001AAAA==',
    id: 81_555_000_001,
    hostId: 'u-alice',
    hostEmail: 'alice@example.edu',
    topic: 'Dry run lecture',
    type: 2,
    startTime: '2024-03-05T10:00:00Z',
    durationMin: 30,
    files: [
      { id: 'dry-mp4', fileType: 'MP4', fileExtension: 'MP4', recordingType: 'shared_screen_with_speaker_view', fileSize: 4096, recordingStart: '2024-03-05T10:00:00Z', recordingEnd: '2024-03-05T10:30:00Z' },
      { id: 'dry-m4a', fileType: 'M4A', fileExtension: 'M4A', recordingType: 'audio_only', fileSize: 1024, recordingStart: '2024-03-05T10:00:00Z', recordingEnd: '2024-03-05T10:30:00Z' },
    ],
  });
  const before = { db: dbBytes(), wal: walBytes(), zoom: zoomState(w), kaltura: kalturaState(w), kalturaCalls: kalturaWrites() };
  const files = count(w, 'SELECT COUNT(*) AS n FROM files');
  const r = await w.zk(['import-legacy', '--from', '2024-03-01', '--to', '2024-03-31', '--dry-run', '--json']);
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout) as {
    windows: { total: number; alreadyImported: number };
    totals: { ingest: { files: number }; known: { files: number }; laterDeleted: number };
    files: Array<{ fileId: string; action: string; reason: string }>;
  };
  // March 2024 is not one of the import's windows (they start at --from), so it would be listed again...
  expect(plan.windows.alreadyImported).toBe(0);
  // ...and the new meeting shows as to be ingested, its audio as skipped, and the known files as known.
  expect(plan.files.find((f) => f.fileId === 'dry-mp4')).toEqual(expect.objectContaining({ action: 'ingest' }));
  expect(plan.totals.laterDeleted).toBe(0); // deletion is disabled in this config
  // The same range as the completed import: every window is already imported, nothing to list.
  const text = await w.zk(['import-legacy', '--from', FROM, '--dry-run', '--json']);
  expect(text.code).toBe(0);
  const again = JSON.parse(text.stdout) as typeof plan;
  expect(again.windows.alreadyImported).toBe(again.windows.total);
  expect(again.files).toEqual([]);
  // A backfill's dry run lists the range again and sees the new meeting and the known files.
  const bf = await runZk(['backfill', '--window', `${Math.ceil((w.clock.now() - Date.parse('2024-03-01')) / 86_400_000)}d`, '--dry-run', '--json', '--config', w.configFile], { clock: w.clock });
  expect(bf.code).toBe(0);
  const bfPlan = JSON.parse(bf.stdout) as typeof plan;
  expect(bfPlan.files.find((f) => f.fileId === 'dry-mp4')).toEqual(expect.objectContaining({ action: 'ingest' }));
  expect(bfPlan.files.find((f) => f.fileId === 'dry-m4a')?.action).toBe('skip');
  expect(bfPlan.totals.known.files).toBeGreaterThan(0);
  const knownReasons = new Set(bfPlan.files.filter((f) => f.action === 'known').map((f) => f.reason));
  expect([...knownReasons].filter((r) => !/^already tracked by zk \((HANDLED|IGNORED|COVERED|DETECTED)\)$/.test(r))).toEqual([]);

  expect(Buffer.compare(dbBytes(), before.db)).toBe(0);
  expect(Buffer.compare(walBytes(), before.wal)).toBe(0);
  expect(count(w, 'SELECT COUNT(*) AS n FROM files')).toBe(files);
  expect(zoomState(w)).toBe(before.zoom);
  expect(kalturaState(w)).toBe(before.kaltura);
  expect(kalturaWrites()).toBe(before.kalturaCalls);
});

test('an import never overlaps another import or backfill: exit 75 naming the holder', async () => {
  const { createLeases } = await import('../../src/store/leases.js');
  const db = openStore(w.database);
  const leases = createLeases(db, w.clock);
  expect(leases.tryAcquire('import', 'someone-else', 60_000)).toBe(true);
  try {
    const r = await w.zk(['backfill', '--window', '7d']);
    expect(r.code).toBe(75);
    expect(r.stderr).toContain('someone-else');
    const i = await w.zk(['import-legacy', '--from', FROM]);
    expect(i.code).toBe(75);
  } finally {
    leases.release('import', 'someone-else');
    db.close();
  }
  // Once free, the backfill runs: it re-lists its window and finds the new meeting.
  const r = await w.zk(['backfill', '--window', `${Math.ceil((w.clock.now() - Date.parse('2024-03-01')) / 86_400_000)}d`, '--json']);
  expect(r.code).toBe(0);
  expect((JSON.parse(r.stdout) as { newFiles: number }).newFiles).toBe(2);
  expect(count(w, "SELECT COUNT(*) AS n FROM files WHERE zoom_file_id = 'dry-mp4' AND state = 'HANDLED'")).toBe(1);
  expect(duplicateEntries(w)).toEqual([]);
});
