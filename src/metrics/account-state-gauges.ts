/**
 * Account halts, daily-limit pauses and degraded optional features as gauges,
 * read from SQLite (account_state, account_degraded_features) at scrape time.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../store/db.js';
import { accountOverview } from '../store/account-overview-query.js';
import { accountConditionReader } from '../store/account-condition-query.js';

export function registerAccountStateGauges(db: Db, registers: Registry[], now: () => number = Date.now): void {
  const accounts = accountOverview(db);
  const conditions = accountConditionReader(db);
  new Gauge({
    name: 'zk_account_halted',
    help: '1 while the account is halted by a fatal error (rejected credentials, missing mandatory scope, invalid Kaltura session), else 0',
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      for (const name of accounts.names()) this.set({ account: name }, 0);
      for (const r of conditions.haltsAndPauses()) if (r.haltedAt !== null) this.set({ account: r.account }, 1);
    },
  });
  new Gauge({
    name: 'zk_account_paused_until_timestamp_seconds',
    help: "Unix time until which the account's polls and purges wait (Zoom daily limit); absent when not paused",
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      for (const r of conditions.haltsAndPauses()) if (r.pausedUntil !== null && r.pausedUntil > now()) this.set({ account: r.account }, r.pausedUntil / 1000);
    },
  });
  new Gauge({
    name: 'zk_account_feature_degraded',
    help: 'Optional features (coHosts, participants, panelists) skipped for the account because a Zoom scope is missing',
    labelNames: ['account', 'feature'] as const,
    registers,
    collect() {
      this.reset();
      for (const r of conditions.degradedFeatures()) this.set({ account: r.account, feature: r.feature }, 1);
    },
  });
}
