/**
 * Port: per-account bookkeeping (identity, last successful poll, last error).
 * The SQLite store implements it (accounts-repo.ts).
 */

export interface AccountRow {
  name: string;
  zoomAccountId: string;
  description: string;
  enabled: boolean;
  lastPollOkAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

export interface AccountsRepo {
  /** Inserts or refreshes the row from config (keeps poll/error history). */
  ensure(account: { name: string; zoomAccountId: string; description?: string; enabled?: boolean }): void;
  get(name: string): AccountRow | undefined;
  list(): AccountRow[];
  recordPollOk(name: string): void;
  recordError(name: string, message: string): void;
  clearError(name: string): void;
}
