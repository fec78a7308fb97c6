/**
 * How far the transfer phase of an import or backfill has come, counted in
 * SQLite (the source of truth) rather than from the work loop's rounds: the
 * files of the chosen accounts that still need work (PENDING, TRANSFERRING,
 * IMPORTING, RETRY_WAIT). `done + remaining === total` always holds, so the
 * bar, the lines and the summary agree; when new files appear meanwhile (a
 * daemon polling the same accounts) the total grows instead of "left" ever
 * exceeding it.
 */
import type { Db } from '../../store/db.js';
import { importFilesReader } from '../../store/import-files-query.js';

export const OPEN_STATES = ['PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT'] as const;

export interface TallyCounts {
  total: number;
  done: number;
  remaining: number;
  /** Of `remaining`: uploaded, Kaltura still importing/converting (shows movement between verification rounds). */
  converting?: number;
}

export interface FileTally {
  /** Counts the open files; the start of the transfer phase. */
  start(): TallyCounts;
  /** Re-counts after a file event; undefined before start(). */
  update(): TallyCounts | undefined;
  counts(): TallyCounts;
}

export function createFileTally(db: Db, accounts: readonly string[], onUpdate?: (c: TallyCounts) => void): FileTally {
  const files = importFilesReader(db, accounts);
  const countOpen = () => files.countIn(OPEN_STATES);
  const countImporting = () => files.countIn(['IMPORTING']);
  let started = false;
  let c: TallyCounts = { total: 0, done: 0, remaining: 0 };
  const recount = () => {
    const remaining = countOpen();
    const done = Math.max(c.done, c.total - remaining);
    c = { total: Math.max(c.total, done + remaining), done, remaining, converting: countImporting() };
    return c;
  };
  return {
    start() {
      started = true;
      const remaining = countOpen();
      c = { total: remaining, done: 0, remaining, converting: countImporting() };
      return c;
    },
    update() {
      if (!started) return undefined;
      const next = recount();
      onUpdate?.(next);
      return next;
    },
    counts: () => c,
  };
}
