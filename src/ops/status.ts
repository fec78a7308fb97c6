/**
 * `zk status`: what each account is doing, read from SQLite only. Token and
 * rate-limit health are what the daemon last saw (account_health, written by
 * its Zoom adapters); before the daemon has talked to Zoom they are unknown and
 * `zk accounts test` is named as the live check.
 */
import type { Config } from '../config/schema.js';
import type { Db } from '../store/db.js';
import { FILE_STATES, type FileState } from '../ingest/states.js';
import { DAEMON_LEASE } from '../store/lease-names.js';
import { formatAge, formatTable, isoTime } from './format.js';
import { readAccountHealth, type AccountHealthRow } from '../store/account-health-repo.js';
import { actionBlockedReader } from '../store/action-blocked-query.js';
import { backlogReader } from '../store/backlog-query.js';
import { accountOverview } from '../store/account-overview-query.js';
import { createLeases } from '../store/leases.js';
import { conditionLines, NO_CONDITION, readAccountConditions, type AccountCondition } from './account-condition.js';

export const LIVE_CHECK_HINT = 'unknown (run zk accounts test)';

export interface AccountStatus {
  name: string;
  description: string;
  /** From the config when the account is configured, else from the database. */
  enabled: boolean;
  inConfig: boolean;
  inDatabase: boolean;
  lastPollOkAt: string | null;
  /** Every UTC day up to and including this one was listed completely. */
  cursor: string | null;
  files: Record<FileState, number>;
  totalFiles: number;
  /** Oldest file waiting for a transfer (PENDING or RETRY_WAIT), by detection time. */
  oldestPending: { fileId: number; state: FileState; detectedAt: string; ageSeconds: number } | null;
  lastError: { message: string; at: string | null } | null;
  /** What the daemon last saw, in words; LIVE_CHECK_HINT until it has talked to Zoom. */
  tokenHealth: string;
  rateLimitHealth: string;
  /** The same, as data (times ISO 8601); null until the daemon has talked to Zoom. */
  zoomHealth: ZoomHealth | null;
  /** Halt (with its fix), daily-limit pause and degraded optional features, as the daemon recorded them. */
  condition: AccountCondition;
  /** Files waiting because Kaltura answered ACTION_BLOCKED, and the longest consecutive run among them. */
  actionBlocked: { files: number; longestStreak: number };
}

export interface ZoomHealth {
  token: { ok: boolean | null; lastOkAt: string | null; lastFailedAt: string | null; lastError: string | null };
  rateLimit: {
    remaining: number | null;
    limit: number | null;
    category: string | null;
    seenAt: string | null;
    lastWaitMs: number | null;
    lastWaitAt: string | null;
    waits: number;
  };
}

export interface StatusReport {
  generatedAt: string;
  daemon: { running: boolean; owner: string | null; leaseExpiresAt: string | null };
  accounts: AccountStatus[];
}

export function collectStatus(db: Db, config: Config, now: number, onlyAccount?: string): StatusReport {
  const rows = accountOverview(db).rows();
  const byName = new Map(rows.map((r) => [r.name, r]));
  const health = healthRows(db);
  const conditions = readAccountConditions(db, now);
  const backlog = backlogReader(db);
  const blocked = actionBlockedReader(db)();

  // Configured accounts first, in config order; then accounts only the database knows.
  const names = [...config.accounts.map((a) => a.name), ...rows.map((r) => r.name).filter((n) => !config.accounts.some((a) => a.name === n))];
  const accounts = names
    .filter((name) => onlyAccount === undefined || name === onlyAccount)
    .map((name): AccountStatus => {
      const cfg = config.accounts.find((a) => a.name === name);
      const row = byName.get(name);
      const files = Object.fromEntries(FILE_STATES.map((s) => [s, 0])) as Record<FileState, number>;
      Object.assign(files, backlog.countsByState(name));
      const o = backlog.oldestIn(name, ['PENDING', 'RETRY_WAIT']);
      return {
        name,
        description: cfg?.description ?? row?.description ?? '',
        enabled: cfg ? cfg.enabled : row?.enabled === true,
        inConfig: cfg !== undefined,
        inDatabase: row !== undefined,
        lastPollOkAt: isoTime(row?.lastPollOkAt),
        cursor: row?.scannedThrough ?? null,
        files,
        totalFiles: Object.values(files).reduce((a, b) => a + b, 0),
        oldestPending: o
          ? { fileId: o.id, state: o.state as FileState, detectedAt: isoTime(o.detectedAt)!, ageSeconds: Math.max(0, Math.floor((now - o.detectedAt) / 1000)) }
          : null,
        lastError: row?.lastError ? { message: row.lastError, at: isoTime(row.lastErrorAt) } : null,
        ...describeHealth(health.get(name), now),
        condition: conditions.get(name) ?? NO_CONDITION,
        actionBlocked: blocked.get(name) ?? { files: 0, longestStreak: 0 },
      };
    });

  const lease = createLeases(db, { now: () => now }).holder(DAEMON_LEASE);
  const running = lease !== undefined && lease.expiresAt > now;
  return {
    generatedAt: isoTime(now)!,
    daemon: { running, owner: running ? lease!.owner : null, leaseExpiresAt: running ? isoTime(lease!.expiresAt) : null },
    accounts,
  };
}


function healthRows(db: Db): Map<string, AccountHealthRow> {
  try {
    return readAccountHealth(db);
  } catch {
    // A database from before migration 0002 opened read-only: nothing recorded yet.
    return new Map();
  }
}

function describeHealth(h: AccountHealthRow | undefined, now: number): Pick<AccountStatus, 'tokenHealth' | 'rateLimitHealth' | 'zoomHealth'> {
  if (!h) return { tokenHealth: LIVE_CHECK_HINT, rateLimitHealth: LIVE_CHECK_HINT, zoomHealth: null };
  const ago = (at: number) => `${formatAge(Math.max(0, now - at))} ago`;
  const failedLast = h.tokenFailedAt !== null && (h.tokenOkAt === null || h.tokenFailedAt > h.tokenOkAt);
  let tokenHealth = LIVE_CHECK_HINT;
  if (failedLast) tokenHealth = `FAILED ${ago(h.tokenFailedAt!)}: ${h.tokenError ?? 'unknown error'}`;
  else if (h.tokenOkAt !== null) tokenHealth = `ok (issued ${ago(h.tokenOkAt)})`;
  const parts: string[] = [];
  if (h.rateSeenAt !== null && h.rateRemaining !== null) {
    parts.push(`${h.rateRemaining}${h.rateLimit !== null ? `/${h.rateLimit}` : ''}${h.rateCategory ? ` ${h.rateCategory}` : ''} left ${ago(h.rateSeenAt)}`);
  }
  if (h.rateWaitAt !== null && h.rateWaitMs !== null) parts.push(`waited ${formatAge(h.rateWaitMs)} ${ago(h.rateWaitAt)} (${h.rateWaits} waits)`);
  return {
    tokenHealth,
    rateLimitHealth: parts.length > 0 ? parts.join('; ') : LIVE_CHECK_HINT,
    zoomHealth: {
      token: { ok: failedLast ? false : h.tokenOkAt !== null ? true : null, lastOkAt: isoTime(h.tokenOkAt), lastFailedAt: isoTime(h.tokenFailedAt), lastError: h.tokenError },
      rateLimit: {
        remaining: h.rateRemaining,
        limit: h.rateLimit,
        category: h.rateCategory,
        seenAt: isoTime(h.rateSeenAt),
        lastWaitMs: h.rateWaitMs,
        lastWaitAt: isoTime(h.rateWaitAt),
        waits: h.rateWaits,
      },
    },
  };
}

/** Only the states that hold files, so the table stays readable. */
function stateSummary(files: Record<FileState, number>): string {
  const parts = FILE_STATES.filter((s) => files[s] > 0).map((s) => `${s}=${files[s]}`);
  return parts.length > 0 ? parts.join(' ') : 'none';
}

export function renderStatus(report: StatusReport, now: number): string {
  const daemon = report.daemon.running ? `daemon: running (${report.daemon.owner})` : 'daemon: not running';
  const headers = ['ACCOUNT', 'ENABLED', 'LAST POLL OK', 'CURSOR', 'OLDEST PENDING', 'TOKEN', 'RATE LIMIT', 'FILES'];
  const rows = report.accounts.map((a) => [
    a.name + (a.inConfig ? '' : ' (not in config)'),
    a.enabled ? 'yes' : 'no',
    a.lastPollOkAt ? `${a.lastPollOkAt} (${formatAge(now - Date.parse(a.lastPollOkAt))} ago)` : 'never',
    a.cursor ?? '-',
    a.oldestPending ? `${formatAge(a.oldestPending.ageSeconds * 1000)} (#${a.oldestPending.fileId})` : '-',
    a.tokenHealth === LIVE_CHECK_HINT ? 'unknown*' : a.tokenHealth,
    a.rateLimitHealth === LIVE_CHECK_HINT ? 'unknown*' : a.rateLimitHealth,
    stateSummary(a.files),
  ]);
  const errors = report.accounts
    .filter((a) => a.lastError)
    .map((a) => `last error ${a.name}${a.lastError!.at ? ` at ${a.lastError!.at}` : ''}: ${a.lastError!.message}`);
  const blockedNotes = report.accounts
    .filter((a) => a.actionBlocked.files > 0)
    .map((a) => `kaltura ${a.name}: ${a.actionBlocked.files} file(s) waiting on ACTION_BLOCKED (longest run ${a.actionBlocked.longestStreak} consecutive answers)`);
  const unknown = report.accounts.some((a) => a.tokenHealth === LIVE_CHECK_HINT || a.rateLimitHealth === LIVE_CHECK_HINT);
  const notes = unknown ? [`* token and rate-limit health: ${LIVE_CHECK_HINT}`] : [];
  const conditions = report.accounts.flatMap((a) => conditionLines(a.name, a.condition));
  return [daemon, '', formatTable(headers, rows).trimEnd(), ...notes, ...(conditions.length ? ['', ...conditions] : []), ...(blockedNotes.length ? ['', ...blockedNotes] : []), ...(errors.length ? ['', ...errors] : [])].join('\n') + '\n';
}
