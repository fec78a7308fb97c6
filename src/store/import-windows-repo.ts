/** Completed legacy-import windows, so an interrupted import resumes and a finished one is a no-op. */
import type { Db } from './db.js';

export interface ImportWindowsRepo {
  isDone(account: string, from: string, to: string): boolean;
  markDone(account: string, from: string, to: string, counts: { meetings: number; files: number }): void;
}

export function createImportWindowsRepo(db: Db, clock: { now(): number }): ImportWindowsRepo {
  const doneStmt = db.prepare(`SELECT 1 FROM import_windows WHERE account = ? AND window_from = ? AND window_to = ? AND state = 'done'`);
  const markStmt = db.prepare(
    `INSERT INTO import_windows (account, window_from, window_to, state, meetings, files, completed_at)
     VALUES (@account, @from, @to, 'done', @meetings, @files, @now)
     ON CONFLICT (account, window_from, window_to) DO UPDATE SET state = 'done', meetings = @meetings, files = @files, completed_at = @now`,
  );
  return {
    isDone: (account, from, to) => doneStmt.get(account, from, to) !== undefined,
    markDone: (account, from, to, counts) => void markStmt.run({ account, from, to, ...counts, now: clock.now() }),
  };
}
