/**
 * The halt, daily-limit pause and degraded features of each account
 * (account_state, written by the daemon), for `zk status` and `zk accounts test`.
 */
import type { Db } from '../store/db.js';
import { createAccountStateRepo, type AccountStateRow } from '../store/account-state-repo.js';
import { accountConditionReader } from '../store/account-condition-query.js';
import { isoTime } from './format.js';

export interface AccountCondition {
  /** "halted: <reason>" with the fix, while a fatal error keeps the account stopped. */
  halted: { reason: string; code: string; fix: string; since: string; nextTryAt: string } | null;
  /** Until when polls and purges wait for Zoom's daily limit (ISO 8601), while in force. */
  pausedUntil: string | null;
  pausedReason: string | null;
  /** Optional features skipped for a missing scope. */
  degraded: Array<{ feature: string; reason: string; since: string }>;
}

export const NO_CONDITION: AccountCondition = { halted: null, pausedUntil: null, pausedReason: null, degraded: [] };

/** Every account's condition; empty when the database predates migration 0003 (opened read-only). */
export function readAccountConditions(db: Db, now: number): Map<string, AccountCondition> {
  let rows: AccountStateRow[];
  try {
    const repo = createAccountStateRepo(db, { now: () => now });
    const degraded = accountConditionReader(db).degradedFeatures();
    const names = new Set([...repo.list().map((r) => r.account), ...degraded.map((r) => r.account)]);
    rows = [...names].map((n) => repo.get(n));
  } catch {
    return new Map();
  }
  return new Map(rows.map((r) => [r.account, toCondition(r, now)]));
}

function toCondition(r: AccountStateRow, now: number): AccountCondition {
  const paused = r.pausedUntil !== undefined && r.pausedUntil > now;
  return {
    halted: r.halt ? { reason: r.halt.reason, code: r.halt.code, fix: r.halt.fix, since: isoTime(r.halt.at)!, nextTryAt: isoTime(r.halt.nextProbeAt)! } : null,
    pausedUntil: paused ? isoTime(r.pausedUntil)! : null,
    pausedReason: paused ? r.pausedReason ?? null : null,
    degraded: r.degraded.map((d) => ({ feature: d.feature, reason: d.reason, since: isoTime(d.since)! })),
  };
}

/** Lines for the text report, one per problem. */
export function conditionLines(name: string, c: AccountCondition): string[] {
  const lines: string[] = [];
  if (c.halted) lines.push(`${name} halted: ${c.halted.reason} (since ${c.halted.since}; next try ${c.halted.nextTryAt})`, `  fix: ${c.halted.fix}`);
  if (c.pausedUntil) lines.push(`${name} paused until ${c.pausedUntil}: ${c.pausedReason ?? 'daily limit'} (polls and purges wait)`);
  for (const d of c.degraded) lines.push(`${name} degraded: ${d.feature} skipped since ${d.since}: ${d.reason}`);
  return lines;
}
