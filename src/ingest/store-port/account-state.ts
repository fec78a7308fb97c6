/**
 * Port: why an account is halted, paused or degraded. The engine writes it;
 * status displays read it from any process. The SQLite store implements it
 * (account-state-repo.ts).
 */

export interface AccountHalt {
  at: number;
  code: string;
  source: string;
  reason: string;
  fix: string;
  nextProbeAt: number;
}

export interface DegradedFeature {
  feature: string;
  code: string | null;
  reason: string;
  since: number;
}

export interface AccountStateRow {
  account: string;
  halt?: AccountHalt;
  pausedUntil?: number;
  pausedReason?: string;
  degraded: DegradedFeature[];
}

export interface AccountStateRepo {
  get(account: string): AccountStateRow;
  /** Halt and pause only (no degraded features): the engine's per-row check, one indexed read. */
  core(account: string): Omit<AccountStateRow, 'degraded'>;
  list(): AccountStateRow[];
  /** Records (or refreshes) a halt; the episode keeps its first `at`. */
  halt(account: string, h: Omit<AccountHalt, 'at'>): void;
  clearHalt(account: string): void;
  pause(account: string, until: number, reason: string): void;
  clearPause(account: string): void;
  /** Returns true when the feature was not degraded before (a new degradation). */
  degrade(account: string, feature: string, code: string | undefined, reason: string): boolean;
  /** Returns true when the feature was degraded before. */
  restore(account: string, feature: string): boolean;
}
