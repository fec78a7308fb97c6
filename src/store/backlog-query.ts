/**
 * An account's backlog as `zk status` and the daemon's periodic backlog line read it: files per
 * state, and the oldest file (by detection) among the given states. One place for both queries
 * (and for the metrics' files per account and state).
 */
import type { Db } from './db.js';

export interface OldestFile {
  id: number;
  state: string;
  detectedAt: number;
}

export interface BacklogReader {
  countsByState(account: string): Record<string, number>;
  oldestIn(account: string, states: readonly string[]): OldestFile | undefined;
  /** Files per state of every account at once (the metrics' scrape), by account, then state. */
  countsByAccountAndState(): Array<{ account: string; state: string; n: number }>;
}

export function backlogReader(db: Db): BacklogReader {
  const byState = db.prepare<[string], { state: string; n: number }>('SELECT state, COUNT(*) AS n FROM files WHERE account = ? GROUP BY state');
  const byAccountAndState = db.prepare<[], { account: string; state: string; n: number }>(
    'SELECT account, state, COUNT(*) AS n FROM files GROUP BY account, state ORDER BY account, state',
  );
  return {
    countsByAccountAndState: () => byAccountAndState.all(),
    countsByState: (account) => Object.fromEntries(byState.all(account).map((r) => [r.state, r.n])),
    oldestIn(account, states) {
      const row = db
        .prepare<unknown[], { id: number; state: string; detected_at: number }>(
          `SELECT id, state, detected_at FROM files WHERE account = ? AND state IN (${states.map(() => '?').join(',')})
           ORDER BY detected_at, id LIMIT 1`,
        )
        .get(account, ...states);
      return row && { id: row.id, state: row.state, detectedAt: row.detected_at };
    },
  };
}
