/**
 * The terminal bar of import/backfill progress: true totals that may grow,
 * an update per file event, rate and ETA, and log lines printed above the bar
 * (on a cleared line, ending in a newline) instead of over it.
 */
import { expect, test } from '@jest/globals';
import { Writable } from 'node:stream';
import { barProgress, formatEta } from '../../src/ops/import/progress.js';

function fakeTty() {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    }),
    { isTTY: true, columns: 200, rows: 40, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true },
  );
  return { stream, text: () => text };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('log lines go above the bar; the bar shows files done of the true total, rate and ETA', async () => {
  const out = fakeTty();
  let now = 1_000_000;
  let route: ((text: string) => void) | undefined;
  const p = barProgress({ out: out.stream, clock: { now: () => now }, label: 'backfill', routeLogs: (w) => (route = w) });
  p.windowsStarted(2, 0);
  expect(route).toBeDefined();
  p.windowDone({ account: 'a', window: { from: '2026-01-01', to: '2026-01-31' }, meetings: 3000, newFiles: 6851 });
  p.windowDone({ account: 'a', window: { from: '2026-02-01', to: '2026-02-28' }, meetings: 0, newFiles: 0 });
  p.transferStarted(6851);
  now += 60_000;
  p.bytes(500_000_000);
  p.files({ total: 6851, done: 1200, remaining: 5651 });
  route!('2026-12-06T05:00:00.000Z warn  a log line from the engine\n');
  await tick(250);
  const drawn = out.text();
  // The log line was written whole, and the bar was drawn again after it (not over it).
  const at = drawn.indexOf('a log line from the engine\n');
  expect(at).toBeGreaterThan(0);
  expect(drawn.slice(at)).toMatch(/files\s+\[[^\]]*\] 1200\/6851/);
  expect(drawn).toContain('500.0 MB, 8.3 MB/s, 20.00 files/s | ETA 4m43s');

  // New files appearing meanwhile grow the total; "left" never exceeds it.
  p.files({ total: 6900, done: 1300, remaining: 5600 });
  await tick(250);
  expect(out.text()).toContain('1300/6900');
  p.close();
  expect(route).toBeUndefined();
});

test('formatEta', () => {
  expect(formatEta(42_000)).toBe('42s');
  expect(formatEta(283_000)).toBe('4m43s');
  expect(formatEta(3 * 3_600_000 + 5 * 60_000)).toBe('3h05m');
});
