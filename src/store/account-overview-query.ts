/**
 * Every account the database knows, as the operator views read them: `zk status`, `zk accounts
 * list`, the `--account` check and the per-account metrics.
 */
import type { AccountRow } from '../ingest/store-port/accounts.js';
import type { Db } from './db.js';

export interface AccountOverviewRow extends AccountRow {
  /** The poll cursor: every UTC day up to and including this one was listed completely. */
  scannedThrough: string | null;
}

export interface AccountOverview {
  /** Every account with its poll cursor, first recorded first. */
  rows(): AccountOverviewRow[];
  /** Every account name, alphabetically. */
  names(): string[];
}

export function accountOverview(db: Db): AccountOverview {
  const rows = db.prepare<[], Omit<AccountOverviewRow, 'enabled'> & { enabled: number }>(
    `SELECT a.name, a.zoom_account_id AS zoomAccountId, a.description, a.enabled, a.last_poll_ok_at AS lastPollOkAt,
       a.last_error AS lastError, a.last_error_at AS lastErrorAt, c.scanned_through AS scannedThrough
     FROM accounts a LEFT JOIN poll_cursors c ON c.account = a.name ORDER BY a.rowid`,
  );
  const names = db.prepare<[], { name: string }>('SELECT name FROM accounts ORDER BY name');
  return {
    rows: () => rows.all().map((r) => ({ ...r, enabled: r.enabled === 1 })),
    names: () => names.all().map((r) => r.name),
  };
}
