/**
 * The files of the accounts an import or backfill covers, counted by state (its progress, its
 * summary and its dry-run plan), and what zk already holds of one listed Zoom file. Reads only:
 * a dry-run plan opens the database read-only.
 */
import type { Db } from './db.js';

export interface ImportFilesReader {
  /** Files of the accounts in any of `states`. */
  countIn(states: readonly string[]): number;
  /** Files of the accounts per state (states without files absent). */
  countsByState(): Record<string, number>;
  /** The state zk recorded for this Zoom file, undefined when it has none. */
  stateOf(account: string, meetingUuid: string, zoomFileId: string): string | undefined;
}

export function importFilesReader(db: Db, accounts: readonly string[]): ImportFilesReader {
  const inAccounts = `account IN (${accounts.map(() => '?').join(',')})`;
  const byState = db.prepare<unknown[], { state: string; n: number }>(`SELECT state, COUNT(*) AS n FROM files WHERE ${inAccounts} GROUP BY state`);
  const stateOf = db.prepare<[string, string, string], { state: string }>('SELECT state FROM files WHERE account = ? AND meeting_uuid = ? AND zoom_file_id = ?');
  // The progress bar recounts after every file event: one prepared statement per state set.
  const counts = new Map<string, ReturnType<typeof countStatement>>();
  const countStatement = (states: readonly string[]) =>
    db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM files WHERE ${inAccounts} AND state IN (${states.map(() => '?').join(',')})`);
  return {
    countIn(states) {
      const key = states.join(',');
      let stmt = counts.get(key);
      if (!stmt) counts.set(key, (stmt = countStatement(states)));
      return stmt.get(...accounts, ...states)!.n;
    },
    countsByState: () => Object.fromEntries(byState.all(...accounts).map((r) => [r.state, r.n])),
    stateOf: (account, meetingUuid, zoomFileId) => stateOf.get(account, meetingUuid, zoomFileId)?.state,
  };
}
