/**
 * Why an account is halted, paused or degraded (migration 0004). The engine
 * writes it; `zk status`, `zk accounts test` and /readyz read it, from any
 * process. Short single-statement writes; no network I/O here.
 */
import type { Db } from './db.js';
import type { AccountStateRepo, AccountStateRow, DegradedFeature } from '../ingest/store-port/account-state.js';

export type { AccountHalt, AccountStateRepo, AccountStateRow, DegradedFeature } from '../ingest/store-port/account-state.js';

interface RawState {
  account: string;
  haltedAt: number | null;
  haltedCode: string | null;
  haltedSource: string | null;
  haltedReason: string | null;
  haltedFix: string | null;
  nextProbeAt: number | null;
  pausedUntil: number | null;
  pausedReason: string | null;
}

const SELECT = `SELECT account, halted_at AS haltedAt, halted_code AS haltedCode, halted_source AS haltedSource,
  halted_reason AS haltedReason, halted_fix AS haltedFix, next_probe_at AS nextProbeAt,
  paused_until AS pausedUntil, paused_reason AS pausedReason FROM account_state`;

export function createAccountStateRepo(db: Db, clock: { now(): number }): AccountStateRepo {
  const ensure = db.prepare('INSERT INTO account_state (account, updated_at) VALUES (?, ?) ON CONFLICT (account) DO NOTHING');
  const getOne = db.prepare(`${SELECT} WHERE account = ?`);
  const getAll = db.prepare(`${SELECT} ORDER BY account`);
  const halt = db.prepare(
    `UPDATE account_state SET halted_at = COALESCE(halted_at, @now), halted_code = @code, halted_source = @source, halted_reason = @reason,
       halted_fix = @fix, next_probe_at = @nextProbeAt, updated_at = @now WHERE account = @account`,
  );
  const clearHalt = db.prepare(
    'UPDATE account_state SET halted_at = NULL, halted_code = NULL, halted_source = NULL, halted_reason = NULL, halted_fix = NULL, next_probe_at = NULL, updated_at = ? WHERE account = ?',
  );
  const pause = db.prepare('UPDATE account_state SET paused_until = ?, paused_reason = ?, updated_at = ? WHERE account = ?');
  const degradedOf = db.prepare('SELECT feature, code, reason, since FROM account_degraded_features WHERE account = ? ORDER BY feature');
  const degrade = db.prepare(
    `INSERT INTO account_degraded_features (account, feature, code, reason, since, updated_at) VALUES (@account, @feature, @code, @reason, @now, @now)
     ON CONFLICT (account, feature) DO UPDATE SET code = @code, reason = @reason, updated_at = @now`,
  );
  const isDegraded = db.prepare('SELECT 1 FROM account_degraded_features WHERE account = ? AND feature = ?');
  const restore = db.prepare('DELETE FROM account_degraded_features WHERE account = ? AND feature = ?');

  const toCore = (account: string, raw: RawState | undefined): Omit<AccountStateRow, 'degraded'> => {
    if (!raw) return { account };
    return {
      account,
      halt:
        raw.haltedAt !== null
          ? { at: raw.haltedAt, code: raw.haltedCode ?? '', source: raw.haltedSource ?? '', reason: raw.haltedReason ?? '', fix: raw.haltedFix ?? '', nextProbeAt: raw.nextProbeAt ?? raw.haltedAt }
          : undefined,
      pausedUntil: raw.pausedUntil ?? undefined,
      pausedReason: raw.pausedReason ?? undefined,
    };
  };
  const toRow = (account: string, raw: RawState | undefined): AccountStateRow => ({ ...toCore(account, raw), degraded: degradedOf.all(account) as DegradedFeature[] });

  return {
    get: (account) => toRow(account, getOne.get(account) as RawState | undefined),
    core: (account) => toCore(account, getOne.get(account) as RawState | undefined),
    list: () => (getAll.all() as RawState[]).map((r) => toRow(r.account, r)),
    halt(account, h) {
      const now = clock.now();
      ensure.run(account, now);
      halt.run({ account, now, code: h.code, source: h.source, reason: h.reason.slice(0, 2000), fix: h.fix.slice(0, 1000), nextProbeAt: h.nextProbeAt });
    },
    clearHalt(account) {
      clearHalt.run(clock.now(), account);
    },
    pause(account, until, reason) {
      const now = clock.now();
      ensure.run(account, now);
      pause.run(until, reason.slice(0, 1000), now, account);
    },
    clearPause(account) {
      pause.run(null, null, clock.now(), account);
    },
    degrade(account, feature, code, reason) {
      const fresh = !isDegraded.get(account, feature);
      degrade.run({ account, feature, code: code ?? null, reason: reason.slice(0, 1000), now: clock.now() });
      return fresh;
    },
    restore(account, feature) {
      // Called after every successful optional call: read first, so the common case writes nothing.
      if (!isDegraded.get(account, feature)) return false;
      return restore.run(account, feature).changes > 0;
    },
  };
}
