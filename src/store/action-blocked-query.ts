/**
 * Files waiting because Kaltura's last answer was ACTION_BLOCKED, per account: read by
 * `zk status` and by the metrics at scrape time, from one query.
 */
import type { Db } from './db.js';

export interface ActionBlockedCount {
  files: number;
  longestStreak: number;
}

/** A reader of the counts for every account the database knows (zeros included). */
export function actionBlockedReader(db: Db): () => Map<string, ActionBlockedCount> {
  let stmt;
  try {
    stmt = db.prepare<[], { account: string; n: number; streak: number }>(
      `SELECT a.name AS account, COUNT(f.id) AS n, COALESCE(MAX(f.blocked_streak), 0) AS streak FROM accounts a
       LEFT JOIN files f ON f.account = a.name AND f.state = 'RETRY_WAIT' AND f.blocked_streak > 0 GROUP BY a.name`,
    );
  } catch {
    // A database from before migration 0006 opened read-only: nothing recorded yet.
    return () => new Map();
  }
  return () =>
    new Map(stmt.all().map((r) => [r.account, { files: r.n, longestStreak: r.streak }]));
}
