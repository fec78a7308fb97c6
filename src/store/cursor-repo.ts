/**
 * The durable poll cursor: every UTC day up to and including `scanned_through`
 * was listed completely. It only moves forward through `advance`; `set` is
 * for operators (legacy import, re-scan) who move it deliberately.
 */
import type { Db } from './db.js';
import type { CursorRepo } from '../ingest/store-port/cursors.js';

export type { CursorRepo } from '../ingest/store-port/cursors.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function assertDay(day: string): void {
  if (!DAY.test(day)) throw new TypeError(`expected a UTC day YYYY-MM-DD, received ${JSON.stringify(day)}`);
}

export function createCursorRepo(db: Db, clock: { now(): number }): CursorRepo {
  const get = db.prepare('SELECT scanned_through AS day FROM poll_cursors WHERE account = ?');
  const advance = db.prepare(
    `INSERT INTO poll_cursors (account, scanned_through, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(account) DO UPDATE SET scanned_through = excluded.scanned_through, updated_at = excluded.updated_at
     WHERE excluded.scanned_through > poll_cursors.scanned_through`,
  );
  const set = db.prepare(
    `INSERT INTO poll_cursors (account, scanned_through, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(account) DO UPDATE SET scanned_through = excluded.scanned_through, updated_at = excluded.updated_at`,
  );
  return {
    get: (account) => (get.get(account) as { day: string } | undefined)?.day,
    advance(account, day) {
      assertDay(day);
      advance.run(account, day, clock.now());
    },
    set(account, day) {
      assertDay(day);
      set.run(account, day, clock.now());
    },
  };
}
