/**
 * The daemon's periodic backlog line (every global.log.backlogInterval; 0 turns
 * it off): per account, files per state and the age of the oldest file still
 * waiting for work, so a log reader sees a queue that grows or an old file
 * that is stuck without running `zk status`.
 */
import type { Db } from '../store/db.js';
import { backlogReader } from '../store/backlog-query.js';
import type { Clock } from '../util/clock.js';
import type { Log } from '../log/port.js';

const WAITING = ['PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT'];

export interface BacklogLine {
  account: string;
  files: Record<string, number>;
  waiting: number;
  /** Seconds since the oldest waiting file was detected; null when none waits. */
  oldestWaitingAgeSeconds: number | null;
}

export function backlogLines(db: Db, accounts: readonly string[], now: number): BacklogLine[] {
  const backlog = backlogReader(db);
  return accounts.map((account) => {
    const files = backlog.countsByState(account);
    const at = backlog.oldestIn(account, WAITING)?.detectedAt ?? null;
    return {
      account,
      files,
      waiting: WAITING.reduce((n, s) => n + (files[s] ?? 0), 0),
      oldestWaitingAgeSeconds: at === null ? null : Math.max(0, Math.round((now - at) / 1000)),
    };
  });
}

/** Logs the backlog every `intervalMs` until stopped; returns the stop function. */
export function startBacklogLog(opts: { db: Db; clock: Clock; logger: Log; accounts: readonly string[]; intervalMs: number }): () => void {
  const stop = new AbortController();
  if (opts.intervalMs <= 0) return () => undefined;
  void (async () => {
    while (!stop.signal.aborted) {
      await opts.clock.sleep(opts.intervalMs, stop.signal);
      for (const line of backlogLines(opts.db, opts.accounts, opts.clock.now())) {
        const { account, ...rest } = line;
        opts.logger.info('backlog', { account, ...rest });
      }
    }
  })().catch(() => undefined);
  return () => stop.abort();
}
