/**
 * Issue 19: import progress at a volume past the old 1,000-file cap and past
 * the work loop's 200-row batches, without a terminal (cron, journald): the
 * true total, a status line every global.log.progressInterval (compressed
 * here to 100 ms), rates and an ETA, and a summary whose counters agree with
 * each other and with the database.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { statesOf, world, type World } from './world.js';

const GENERATED = 500;
const FROM = '2023-01-01';
const INTERVAL_MS = 100;
let w: World;

beforeAll(async () => {
  w = await world({
    generate: GENERATED,
    generateFrom: `${FROM}T00:00:00Z`,
    generatedFileSize: 1024,
    mutate(raw) {
      raw.global.concurrency = { transfers: 8, perAccount: 8 };
      raw.accounts[0].permissions = { alternativeHosts: 'coEditor' };
      raw.global.log.progressInterval = `${INTERVAL_MS}ms`;
    },
  });
  w.writeConfig();
});
afterAll(() => w.close());

interface FilesLine {
  at: number;
  done: number;
  total: number;
  left: number;
  converting: number;
}

test('every file counts, lines come on the interval, and the summary agrees with itself and the database', async () => {
  const r = await w.zk(['import-legacy', '--from', FROM]);
  expect(r.code).toBe(0);
  const lines = r.stderr.split('\n').filter(Boolean);

  // The true total, announced once listing is done (the old code capped it at 1000).
  const started = /zk import-legacy: (\d+) files to transfer and verify/.exec(r.stderr);
  expect(started).not.toBeNull();
  const total = Number(started![1]);
  expect(total).toBeGreaterThan(1000);

  const files: FilesLine[] = [];
  for (const line of lines) {
    const m = /^(\S+) zk import-legacy: files (\d+)\/(\d+) done \(\d+%\), (\d+) left \((\d+) converting in Kaltura\); [\d.]+ MB at [\d.]+ MB\/s, [\d.]+ files\/s; ETA (\S+)/.exec(line);
    if (m) files.push({ at: Date.parse(m[1]), done: Number(m[2]), total: Number(m[3]), left: Number(m[4]), converting: Number(m[5]) });
  }
  // A line per interval while files move, not one per work round.
  expect(files.length).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < files.length; i++) {
    expect(files[i].done).toBeGreaterThanOrEqual(files[i - 1].done);
    // Timers on a shared 2-core machine drift, but never to a work round's length.
    expect(files[i].at - files[i - 1].at).toBeLessThan(INTERVAL_MS * 20);
  }
  for (const f of files) {
    expect(f.done + f.left).toBe(f.total);
    expect(f.total).toBeGreaterThanOrEqual(total);
    expect(f.converting).toBeLessThanOrEqual(f.left);
  }
  // Progress shows in between, not only 0 and then everything.
  expect(files.some((f) => f.done > 0 && f.done < f.total)).toBe(true);
  expect(r.stderr).toMatch(/ETA \d+(h|m|s)/);

  // The summary: to transfer = done + still waiting, and the waiting ones are the open rows.
  const sum = /files to transfer and verify: (\d+); done: (\d+); still waiting: (\d+)/.exec(r.stderr);
  expect(sum).not.toBeNull();
  const [sTotal, sDone, sWaiting] = [Number(sum![1]), Number(sum![2]), Number(sum![3])];
  expect(sDone + sWaiting).toBe(sTotal);
  expect(sTotal).toBeGreaterThanOrEqual(total);
  const states = statesOf(w);
  const open = ['PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT'].reduce((n, s) => n + (states[s] ?? 0), 0);
  expect(sWaiting).toBe(open);
  expect(sDone).toBe((states.HANDLED ?? 0) + (states.FAILED ?? 0) + (states.IGNORED ?? 0) - ignoredAtRecording(w));
  const newFiles = Number(/files new to zk: (\d+)/.exec(r.stderr)![1]);
  expect(newFiles).toBe(Object.values(states).reduce((a, b) => a + b, 0));
  // About 50 s on an idle 2-core machine: the volume has to pass the old 1,000-file cap.
}, 240_000);

/** Files recorded as IGNORED or COVERED straight away never needed work, so they are not in the transfer count. */
function ignoredAtRecording(w: World): number {
  const db = w.db();
  try {
    return (
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM files f WHERE state = 'IGNORED'
             AND NOT EXISTS (SELECT 1 FROM events e WHERE e.file_id = f.id AND e.from_state IN ('PENDING','TRANSFERRING','IMPORTING','RETRY_WAIT'))`,
        )
        .get() as { n: number }
    ).n;
  } finally {
    db.close();
  }
}
