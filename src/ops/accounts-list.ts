/** `zk accounts list`: configured accounts with what the database knows of them. Never prints secrets. */
import type { Config } from '../config/schema.js';
import type { Db } from '../store/db.js';
import { formatDuration } from '../util/duration.js';
import { formatTable, isoTime } from './format.js';

export interface AccountListing {
  name: string;
  description: string;
  enabled: boolean;
  inConfig: boolean;
  zoomAccountId: string;
  delete: { enabled: boolean; action: string; delayMs: number } | null;
  lastPollOkAt: string | null;
  files: number;
}

export function listAccounts(db: Db, config: Config): AccountListing[] {
  const rows = db.prepare('SELECT name, zoom_account_id, description, enabled, last_poll_ok_at FROM accounts').all() as Array<{
    name: string;
    zoom_account_id: string;
    description: string;
    enabled: number;
    last_poll_ok_at: number | null;
  }>;
  const fileCount = db.prepare('SELECT COUNT(*) AS n FROM files WHERE account = ?');
  const listed: AccountListing[] = config.accounts.map((a) => {
    const row = rows.find((r) => r.name === a.name);
    return {
      name: a.name,
      description: a.description,
      enabled: a.enabled,
      inConfig: true,
      zoomAccountId: a.credentials.accountId,
      delete: { enabled: a.delete.enabled, action: a.delete.action, delayMs: a.delete.delay },
      lastPollOkAt: isoTime(row?.last_poll_ok_at),
      files: (fileCount.get(a.name) as { n: number }).n,
    };
  });
  for (const r of rows.filter((r) => !config.accounts.some((a) => a.name === r.name))) {
    listed.push({
      name: r.name,
      description: r.description,
      enabled: r.enabled === 1,
      inConfig: false,
      zoomAccountId: r.zoom_account_id,
      delete: null,
      lastPollOkAt: isoTime(r.last_poll_ok_at),
      files: (fileCount.get(r.name) as { n: number }).n,
    });
  }
  return listed;
}

export function renderAccounts(accounts: AccountListing[]): string {
  return formatTable(
    ['NAME', 'ENABLED', 'ZOOM ACCOUNT', 'DELETE', 'LAST POLL OK', 'FILES', 'DESCRIPTION'],
    accounts.map((a) => [
      a.name + (a.inConfig ? '' : ' (not in config)'),
      a.enabled ? 'yes' : 'no',
      a.zoomAccountId,
      a.delete ? (a.delete.enabled ? `${a.delete.action} after ${formatDuration(a.delete.delayMs)}` : 'off') : '-',
      a.lastPollOkAt ?? 'never',
      String(a.files),
      a.description,
    ]),
  );
}
