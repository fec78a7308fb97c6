/**
 * Halts, daily-limit pauses and degraded optional features of all accounts at once, as the
 * metrics read them at scrape time and `zk status` finds the accounts that have any.
 * (One account's full condition is `AccountStateRepo.get`.)
 */
import type { Db } from './db.js';

export interface HaltAndPause {
  account: string;
  haltedAt: number | null;
  pausedUntil: number | null;
}

export interface DegradedFeatureOf {
  account: string;
  feature: string;
}

export interface AccountConditionReader {
  /** Every account_state row's halt and pause times, first recorded first. */
  haltsAndPauses(): HaltAndPause[];
  /** Every degraded feature, by account, then feature. */
  degradedFeatures(): DegradedFeatureOf[];
}

export function accountConditionReader(db: Db): AccountConditionReader {
  const states = db.prepare<[], HaltAndPause>('SELECT account, halted_at AS haltedAt, paused_until AS pausedUntil FROM account_state ORDER BY rowid');
  const degraded = db.prepare<[], DegradedFeatureOf>('SELECT account, feature FROM account_degraded_features ORDER BY account, feature');
  return {
    haltsAndPauses: () => states.all(),
    degradedFeatures: () => degraded.all(),
  };
}
