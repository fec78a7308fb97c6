/**
 * Issue 6: scheduled backfills inside the daemon (node-cron, a per-second
 * schedule so nothing waits a minute) and their non-overlap rule, through the
 * shared 'import' lease; `zk backfill` as the one-off command sharing that code.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startDaemon } from '../../src/daemon/daemon.js';
import { startBackfillSchedules } from '../../src/daemon/backfills.js';
import { createEngine } from '../../src/ingest/engine.js';
import type { EngineAccount } from '../../src/ingest/context.js';
import { kalturaSinkFor, zoomSourceFor } from '../../src/wiring/adapters.js';
import { openStore } from '../../src/store/migrate.js';
import { createRepos } from '../../src/store/repos.js';
import { createLeases } from '../../src/store/leases.js';
import { IMPORT_LEASE } from '../../src/ops/import/run-import.js';
import { count, duplicateEntries, statesOf, world, type World } from './world.js';

const DAY = 86_400_000;

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function recordingLogger(clock: { now(): number } = { now: Date.now }) {
  const lines: Array<{ level: string; message: string; meta?: Record<string, unknown>; at: number }> = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => void lines.push({ level, message, meta, at: clock.now() });
  return { lines, logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') } };
}

// 40 recordings over the last 20 days: the daemon's own polls (lookback 3d) only see the last few days.
const old = () => count(w, "SELECT COUNT(*) AS n FROM recordings WHERE start_time < ?", new Date(Date.now() - 4 * DAY).toISOString());
let w: World;
beforeAll(async () => {
  w = await world({
    generate: 40,
    generateFrom: new Date(Date.now() - 20 * DAY).toISOString(),
    mutate(raw) {
      raw.global.backfills = [{ schedule: '* * * * * *', window: '30d' }];
    },
  });
});
afterAll(() => w.close());

describe('startBackfillSchedules', () => {
  test('never overlaps itself, another schedule, or a running import', async () => {
    const config = w.config();
    const db = openStore(config.global.database);
    const acct = config.accounts[0];
    const accounts: EngineAccount[] = [{ config: acct, source: zoomSourceFor(config, acct, { clock: w.clock }), sink: kalturaSinkFor(config, { clock: w.clock }) }];
    const engine = createEngine({ repos: createRepos(db, w.clock), clock: w.clock, config: { global: config.global, kaltura: config.kaltura }, accounts, actor: 'daemon', owner: 'daemon' });
    // Two configured backfills sharing the lease, on a yearly schedule: only the manual runs (what a tick runs) happen here.
    const yearly = { ...config.global.backfills[0], schedule: '0 0 1 1 *' };
    const twoBackfills = { ...config, global: { ...config.global, backfills: [yearly, { ...yearly, window: 2 * DAY }] } };
    const { lines, logger } = recordingLogger();
    const fresh = startBackfillSchedules({ config: twoBackfills, db, clock: w.clock, logger, engine, owner: 'daemon' });
    try {
      // An import holds the lease: the backfill is skipped, writes nothing, and says why.
      const leases = createLeases(db, w.clock);
      expect(leases.tryAcquire(IMPORT_LEASE, 'import-legacy:otherhost:42', 60_000)).toBe(true);
      expect(await fresh.runNow(0)).toBeUndefined();
      expect(count(w, 'SELECT COUNT(*) AS n FROM files')).toBe(0);
      expect(lines.find((l) => l.message === 'backfill skipped')?.meta?.error).toContain('import-legacy:otherhost:42');
      leases.release(IMPORT_LEASE, 'import-legacy:otherhost:42');

      // Two runs started together (a tick while the previous run is going, or two schedules): exactly one runs.
      const [a, b, c] = await Promise.all([fresh.runNow(0), fresh.runNow(0), fresh.runNow(1)]);
      expect([a, b, c].filter((s) => s !== undefined).length).toBe(1);
      expect(a?.windows.listed).toBe(2); // 30 days in 28-day windows
      expect(a!.newFiles).toBeGreaterThan(0);
      expect(old()).toBeGreaterThan(0);
      // The backfill only records: the daemon's own loop transfers (nothing was worked here).
      expect(count(w, "SELECT COUNT(*) AS n FROM files WHERE state NOT IN ('PENDING','DETECTED','IGNORED','COVERED')")).toBe(0);
      expect(leases.holder(IMPORT_LEASE)).toBeUndefined();

      // A re-run finds nothing new.
      expect((await fresh.runNow(0))?.newFiles).toBe(0);
    } finally {
      fresh.stop();
      await fresh.idle();
      await engine.stop();
      db.close();
    }
  });
});

describe('inside the daemon', () => {
  test('a per-second schedule fires, the daemon ingests what only the backfill found, and no run overlaps', async () => {
    const files = count(w, 'SELECT COUNT(*) AS n FROM files');
    const { lines, logger } = recordingLogger(w.clock);
    w.sandbox.zoom.state.resetCallLog();
    // Slow Zoom answers make one backfill run (two windows) outlast the one-second schedule, so ticks fire while a
    // run is still going: without the lease they would overlap.
    w.sandbox.zoom.setFaults({ slowMs: 1300 });
    const daemon = await startDaemon({ config: w.config(), clock: w.clock, logger, workIntervalMs: 5, lockTtlMs: 5_000 });
    try {
      await until('two backfills finished, and a tick that found one running (or a third run)', () => {
        const finished = lines.filter((l) => l.message === 'backfill finished').length;
        return finished >= 3 || (finished >= 2 && lines.some((l) => l.message === 'backfill skipped'));
      });
      w.sandbox.zoom.setFaults({ slowMs: 0 });
      await until('everything handled', () => {
        const s = statesOf(w);
        return (s.HANDLED ?? 0) > 0 && !s.PENDING && !s.TRANSFERRING && !s.IMPORTING && !s.RETRY_WAIT;
      });
    } finally {
      await daemon.stop('test over');
    }
    // Each run starts with the listing of its first window (only a backfill lists that far back) and ends with
    // 'backfill finished': the runs' [start, end] intervals are disjoint.
    const oldest = new Date(w.clock.now() - 20 * DAY).toISOString().slice(0, 10);
    const starts = w.sandbox.zoom.state
      .requests()
      .filter((r) => r.url.startsWith('/v2/accounts/me/recordings?') && (new URLSearchParams(r.url.split('?')[1]).get('from') ?? '9') < oldest)
      .map((r) => r.at);
    const ends = lines.filter((l) => l.message === 'backfill finished').map((l) => l.at);
    expect(starts.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i + 1 < starts.length && i < ends.length; i++) {
      expect(ends[i]).toBeGreaterThanOrEqual(starts[i]!);
      expect(starts[i + 1]).toBeGreaterThanOrEqual(ends[i]!);
    }
    // The schedule did fire during a run (the case the lease is for).
    expect(lines.some((l) => l.message === 'backfill skipped')).toBe(true);
    expect(count(w, 'SELECT COUNT(*) AS n FROM files')).toBe(files);
    expect(count(w, "SELECT COUNT(*) AS n FROM files f JOIN recordings r ON r.id = f.recording_id WHERE f.state = 'HANDLED' AND r.start_time < ?", new Date(Date.now() - 4 * DAY).toISOString())).toBeGreaterThan(0);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(duplicateEntries(w)).toEqual([]);
    // The lease is gone once the daemon stopped; nothing is left for the next import to wait on.
    expect(count(w, 'SELECT COUNT(*) AS n FROM leases WHERE name = ?', IMPORT_LEASE)).toBe(0);
  });

  test('zk backfill (the system-cron one-off) runs the same backfill and works what it finds', async () => {
    w.sandbox.zoom.state.addMeeting({
      uuid: 'backfillOneOff0001BBBB==',
      id: 81_555_000_002,
      hostId: 'u-alice',
      hostEmail: 'alice@example.edu',
      topic: 'Found by zk backfill',
      type: 2,
      startTime: new Date(Date.now() - 10 * DAY).toISOString().replace(/\.\d+Z$/, 'Z'),
      durationMin: 30,
      files: [
        {
          id: 'oneoff-mp4',
          fileType: 'MP4',
          fileExtension: 'MP4',
          recordingType: 'shared_screen_with_speaker_view',
          fileSize: 2048,
          recordingStart: new Date(Date.now() - 10 * DAY).toISOString().replace(/\.\d+Z$/, 'Z'),
          recordingEnd: new Date(Date.now() - 10 * DAY + 1_800_000).toISOString().replace(/\.\d+Z$/, 'Z'),
        },
      ],
    });
    const dry = await w.zk(['backfill', '--window', '14d', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect((JSON.parse(dry.stdout) as { files: Array<{ fileId: string; action: string }> }).files.find((f) => f.fileId === 'oneoff-mp4')?.action).toBe('ingest');
    expect(count(w, "SELECT COUNT(*) AS n FROM files WHERE zoom_file_id = 'oneoff-mp4'")).toBe(0);

    const r = await w.zk(['backfill', '--window', '14d', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { newFiles: number; windows: { listed: number; skipped: number }; pending: number };
    expect(summary.newFiles).toBe(1);
    expect(summary.windows.skipped).toBe(0); // a backfill always re-lists
    expect(count(w, "SELECT COUNT(*) AS n FROM files WHERE zoom_file_id = 'oneoff-mp4' AND state = 'HANDLED'")).toBe(1);
    expect(count(w, "SELECT COUNT(*) AS n FROM import_windows")).toBe(0); // backfills never mark legacy-import windows done
    expect(duplicateEntries(w)).toEqual([]);
  });
});

