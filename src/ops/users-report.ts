/**
 * `zk users report`: the Zoom user and licence inventory (what the Snow Zoom
 * connector collects): every user with plan type, status and login activity,
 * and totals per plan type. Deactivated users are left out unless asked for,
 * as Snow does; pending users are listed though Zoom gives them no id.
 */
import type { RecordingSource, ZoomUser } from '../ingest/ports.js';
import { formatCsv } from './csv.js';
import { formatTable } from './format.js';

/** Zoom's user `type` codes; the API reference lists 3 (On-prem) in older specs. */
const PLAN_TYPES: Record<number, string> = {
  1: 'Basic',
  2: 'Licensed',
  3: 'On-prem',
  4: 'Unassigned without Meetings Basic',
  99: 'None',
};

export function planTypeName(type: number): string {
  return PLAN_TYPES[type] ?? `type ${type}`;
}

export interface UserRow {
  account: string;
  id: string | null;
  email: string;
  name: string;
  planType: number;
  planTypeName: string;
  status: string;
  lastLoginTime: string | null;
  lastClientVersion: string | null;
}

export interface AccountUsers {
  account: string;
  users: UserRow[];
  /** Users per plan type name, e.g. { Basic: 10, Licensed: 3 }. */
  totals: Record<string, number>;
  total: number;
}

export interface UsersReport {
  includeInactive: boolean;
  accounts: AccountUsers[];
  totals: Record<string, number>;
  total: number;
}

export const REPORT_FORMATS = ['table', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

function displayName(u: ZoomUser): string {
  if (u.displayName) return u.displayName;
  return [u.firstName, u.lastName].filter((p) => p).join(' ');
}

function countByPlan(rows: UserRow[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const r of rows) totals[r.planTypeName] = (totals[r.planTypeName] ?? 0) + 1;
  return totals;
}

/** Zoom's status filter is single-valued, so each status is one listing. */
export async function collectAccountUsers(source: RecordingSource, includeInactive: boolean): Promise<AccountUsers> {
  const statuses: Array<'active' | 'pending' | 'inactive'> = includeInactive ? ['active', 'pending', 'inactive'] : ['active', 'pending'];
  const users: UserRow[] = [];
  for (const status of statuses) {
    for (const u of await source.listUsers(status)) {
      users.push({
        account: source.account,
        id: u.id ?? null,
        email: u.email,
        name: displayName(u),
        planType: u.type,
        planTypeName: planTypeName(u.type),
        // The listing's own status wins; the query status fills in when Zoom omits it.
        status: u.status || status,
        lastLoginTime: u.lastLoginTime ?? null,
        lastClientVersion: u.lastClientVersion ?? null,
      });
    }
  }
  users.sort((a, b) => a.email.localeCompare(b.email));
  return { account: source.account, users, totals: countByPlan(users), total: users.length };
}

export async function collectUsersReport(sources: RecordingSource[], includeInactive: boolean): Promise<UsersReport> {
  const accounts: AccountUsers[] = [];
  for (const s of sources) accounts.push(await collectAccountUsers(s, includeInactive));
  const all = accounts.flatMap((a) => a.users);
  return { includeInactive, accounts, totals: countByPlan(all), total: all.length };
}

const HEADERS = ['account', 'email', 'name', 'plan_type', 'plan_type_name', 'status', 'last_login_time', 'last_client_version', 'id'];

export function renderUsersCsv(report: UsersReport): string {
  const rows = report.accounts.flatMap((a) =>
    a.users.map((u) => [u.account, u.email, u.name, u.planType, u.planTypeName, u.status, u.lastLoginTime, u.lastClientVersion, u.id]),
  );
  return formatCsv(HEADERS, rows);
}

function totalsLines(totals: Record<string, number>, total: number): string {
  const rows = Object.entries(totals)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => [name, String(n)]);
  return formatTable(['PLAN TYPE', 'USERS'], [...rows, ['total', String(total)]]);
}

export function renderUsersTable(report: UsersReport): string {
  const parts: string[] = [];
  for (const a of report.accounts) {
    parts.push(`account ${a.account}: ${a.total} users${report.includeInactive ? '' : ' (deactivated users excluded; --include-inactive lists them)'}`);
    if (a.users.length > 0) {
      parts.push(
        formatTable(
          ['EMAIL', 'NAME', 'PLAN TYPE', 'STATUS', 'LAST LOGIN', 'CLIENT VERSION'],
          a.users.map((u) => [u.email, u.name, u.planTypeName, u.status, u.lastLoginTime ?? '-', u.lastClientVersion ?? '-']),
        ),
      );
    }
    parts.push(totalsLines(a.totals, a.total));
  }
  if (report.accounts.length > 1) parts.push(`all accounts:\n${totalsLines(report.totals, report.total)}`);
  return parts.join('\n');
}
