/** `zk accounts list`: configured accounts with what the database knows of them. Never prints secrets. */
import type { Config } from '../config/schema.js';
import type { Db } from '../store/db.js';
import { accountOverview } from '../store/account-overview-query.js';
import { backlogReader } from '../store/backlog-query.js';
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
  const rows = accountOverview(db).rows();
  const backlog = backlogReader(db);
  const fileCount = (account: string) => Object.values(backlog.countsByState(account)).reduce((a, b) => a + b, 0);
  const listed: AccountListing[] = config.accounts.map((a) => {
    const row = rows.find((r) => r.name === a.name);
    return {
      name: a.name,
      description: a.description,
      enabled: a.enabled,
      inConfig: true,
      zoomAccountId: a.credentials.accountId,
      delete: { enabled: a.delete.enabled, action: a.delete.action, delayMs: a.delete.delay },
      lastPollOkAt: isoTime(row?.lastPollOkAt),
      files: fileCount(a.name),
    };
  });
  for (const r of rows.filter((r) => !config.accounts.some((a) => a.name === r.name))) {
    listed.push({
      name: r.name,
      description: r.description,
      enabled: r.enabled,
      inConfig: false,
      zoomAccountId: r.zoomAccountId,
      delete: null,
      lastPollOkAt: isoTime(r.lastPollOkAt),
      files: fileCount(r.name),
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
