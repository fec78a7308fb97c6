/**
 * Per-account Zoom health (migration 0002): the daemon's Zoom adapters report
 * token requests and rate-limit headers here, so `zk status` can show them
 * without calling Zoom. Rate-limit readings come with every API answer, so
 * they are written at most once per `minIntervalMs` per account; token
 * results and waits are always written (they are rare and they matter).
 */
import type { Db } from './db.js';

export interface AccountHealthRow {
  account: string;
  tokenOkAt: number | null;
  tokenFailedAt: number | null;
  tokenError: string | null;
  rateRemaining: number | null;
  rateLimit: number | null;
  rateCategory: string | null;
  rateSeenAt: number | null;
  rateWaitMs: number | null;
  rateWaitAt: number | null;
  rateWaits: number;
}

export interface AccountHealthRecorder {
  token(account: string, ok: boolean, detail?: string): void;
  rateLimit(account: string, reading: { remaining: number; limit?: number; category?: string }): void;
  rateLimitWait(account: string, ms: number): void;
}

const SELECT = `SELECT account, token_ok_at AS tokenOkAt, token_failed_at AS tokenFailedAt, token_error AS tokenError,
  rate_remaining AS rateRemaining, rate_limit AS rateLimit, rate_category AS rateCategory, rate_seen_at AS rateSeenAt,
  rate_wait_ms AS rateWaitMs, rate_wait_at AS rateWaitAt, rate_waits AS rateWaits FROM account_health`;

/** Reads the health rows (empty when the daemon has not run since migration 0002). */
export function readAccountHealth(db: Db): Map<string, AccountHealthRow> {
  const rows = db.prepare(SELECT).all() as AccountHealthRow[];
  return new Map(rows.map((r) => [r.account, r]));
}

export function createAccountHealthRecorder(db: Db, clock: { now(): number }, opts: { minIntervalMs?: number } = {}): AccountHealthRecorder {
  const minInterval = opts.minIntervalMs ?? 1000;
  const ensure = db.prepare('INSERT INTO account_health (account, updated_at) VALUES (?, ?) ON CONFLICT (account) DO NOTHING');
  const tokenOk = db.prepare('UPDATE account_health SET token_ok_at = ?, updated_at = ? WHERE account = ?');
  const tokenFailed = db.prepare('UPDATE account_health SET token_failed_at = ?, token_error = ?, updated_at = ? WHERE account = ?');
  const rate = db.prepare('UPDATE account_health SET rate_remaining = ?, rate_limit = ?, rate_category = ?, rate_seen_at = ?, updated_at = ? WHERE account = ?');
  const wait = db.prepare('UPDATE account_health SET rate_wait_ms = ?, rate_wait_at = ?, rate_waits = rate_waits + 1, updated_at = ? WHERE account = ?');
  const lastRateWrite = new Map<string, number>();
  // Health is advisory: a busy or closed database must never fail a Zoom call.
  const safely = (fn: () => void) => {
    try {
      if (db.open) fn();
    } catch {
      // ignored on purpose
    }
  };
  return {
    token(account, ok, detail) {
      safely(() => {
        const now = clock.now();
        ensure.run(account, now);
        if (ok) tokenOk.run(now, now, account);
        else tokenFailed.run(now, (detail ?? 'failed').slice(0, 500), now, account);
      });
    },
    rateLimit(account, reading) {
      const now = clock.now();
      // Always keep an exhausted budget; otherwise sample.
      if (reading.remaining > 0 && now - (lastRateWrite.get(account) ?? -Infinity) < minInterval) return;
      lastRateWrite.set(account, now);
      safely(() => {
        ensure.run(account, now);
        rate.run(reading.remaining, reading.limit ?? null, reading.category ?? null, now, now, account);
      });
    },
    rateLimitWait(account, ms) {
      safely(() => {
        const now = clock.now();
        ensure.run(account, now);
        wait.run(Math.round(ms), now, now, account);
      });
    },
  };
}
