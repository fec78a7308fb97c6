/** Per-account bookkeeping: identity, last successful poll, last error (shown by `zk status`). */
import type { Db } from './db.js';
import type { AccountRow, AccountsRepo } from '../ingest/store-port/accounts.js';

export type { AccountRow, AccountsRepo } from '../ingest/store-port/accounts.js';

const SELECT = `SELECT name, zoom_account_id AS zoomAccountId, description, enabled, last_poll_ok_at AS lastPollOkAt,
  last_error AS lastError, last_error_at AS lastErrorAt FROM accounts`;

function toRow(raw: unknown): AccountRow | undefined {
  if (!raw) return undefined;
  const r = raw as Omit<AccountRow, 'enabled'> & { enabled: number };
  return { ...r, enabled: r.enabled === 1 };
}

export function createAccountsRepo(db: Db, clock: { now(): number }): AccountsRepo {
  const upsert = db.prepare(
    `INSERT INTO accounts (name, zoom_account_id, description, enabled, created_at, updated_at)
     VALUES (@name, @zoomAccountId, @description, @enabled, @now, @now)
     ON CONFLICT(name) DO UPDATE SET zoom_account_id = @zoomAccountId, description = @description,
       enabled = @enabled, updated_at = @now`,
  );
  const get = db.prepare(`${SELECT} WHERE name = ?`);
  const list = db.prepare(`${SELECT} ORDER BY name`);
  const pollOk = db.prepare('UPDATE accounts SET last_poll_ok_at = ?, updated_at = ? WHERE name = ?');
  const error = db.prepare('UPDATE accounts SET last_error = ?, last_error_at = ?, updated_at = ? WHERE name = ?');
  const clear = db.prepare('UPDATE accounts SET last_error = NULL, last_error_at = NULL, updated_at = ? WHERE name = ?');
  return {
    ensure(a) {
      upsert.run({ name: a.name, zoomAccountId: a.zoomAccountId, description: a.description ?? '', enabled: a.enabled === false ? 0 : 1, now: clock.now() });
    },
    get: (name) => toRow(get.get(name)),
    list: () => list.all().map((r) => toRow(r)!),
    recordPollOk(name) {
      const now = clock.now();
      pollOk.run(now, now, name);
    },
    recordError(name, message) {
      const now = clock.now();
      error.run(message.slice(0, 2000), now, now, name);
    },
    clearError(name) {
      clear.run(clock.now(), name);
    },
  };
}
