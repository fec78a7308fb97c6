/** Read side of `zk files`: list with filters, and one file (or meeting) with its full history. */
import type { Db } from '../store/db.js';
import { FILE_STATES, type FileState } from '../ingest/states.js';
import { formatBytes, formatTable, isoTime } from './format.js';
import { usageError } from './usage.js';
import { adoptionOf, fileAdoptions, renderAdoption, type FileAdoptionView } from './files-adoption.js';
import { accountOverview } from '../store/account-overview-query.js';
import { fileListingReader, type FileListingRow } from '../store/file-listing-query.js';

/** Times the listing holds as ms epochs, shown as ISO strings. */
type ListingTimes = 'nextAttemptAt' | 'leaseUntil' | 'detectedAt' | 'handledAt' | 'purgedAt' | 'updatedAt';

/** One file as `zk files` shows it: the store's listing row with its times as ISO strings. */
export interface FileSummary extends Omit<FileListingRow, ListingTimes | 'recordingId'> {
  nextAttemptAt: string | null;
  leaseUntil: string | null;
  detectedAt: string;
  handledAt: string | null;
  purgedAt: string | null;
  updatedAt: string;
}

export interface FileEvent {
  id: number;
  at: string;
  from: string | null;
  to: string;
  reason: string;
  actor: string;
}

export interface FileDetail extends FileSummary {
  events: FileEvent[];
  /** Adoption from Kaltura's own Zoom integration (README "Switching from Kaltura's Zoom integration"), null when none applied. */
  adoption: FileAdoptionView | null;
}

export interface FileFilter {
  states?: FileState[];
  account?: string;
  /** Files whose recording started at or after this ms epoch. */
  sinceMs?: number;
  limit?: number;
}

export const DEFAULT_LIST_LIMIT = 100;

function toSummary(r: FileListingRow): FileSummary {
  return {
    id: r.id,
    account: r.account,
    meetingUuid: r.meetingUuid,
    zoomFileId: r.zoomFileId,
    topic: r.topic,
    recordingStart: r.recordingStart,
    fileType: r.fileType,
    fileExtension: r.fileExtension,
    fileSize: r.fileSize,
    role: r.role,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: isoTime(r.nextAttemptAt),
    lastError: r.lastError,
    lastErrorCode: r.lastErrorCode,
    kalturaEntryId: r.kalturaEntryId,
    leaseOwner: r.leaseOwner,
    leaseUntil: isoTime(r.leaseUntil),
    detectedAt: isoTime(r.detectedAt)!,
    handledAt: isoTime(r.handledAt),
    purgedAt: isoTime(r.purgedAt),
    updatedAt: isoTime(r.updatedAt)!,
  };
}

/** `--state PENDING,failed` → ['PENDING', 'FAILED']; an unknown name is a usage error listing the valid ones. */
export function parseStates(text: string): FileState[] {
  const names = text
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
  if (names.length === 0) throw usageError(`invalid --state value "${text}": give one or more of ${FILE_STATES.join(', ')} (comma-separated)`, '--state');
  for (const name of names) {
    if (!(FILE_STATES as readonly string[]).includes(name)) {
      throw usageError(`unknown state "${name}" in --state: use one or more of ${FILE_STATES.join(', ')} (comma-separated)`, '--state');
    }
  }
  return [...new Set(names)] as FileState[];
}

export function parseLimit(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw usageError(`invalid --limit value "${text}": give a whole number of files, 1 or more`, '--limit');
  }
  return n;
}

/** Account names known to the config or the database; `--account` must be one of them. */
export function assertKnownAccount(db: Db, configured: string[], name: string): void {
  const known = new Set([...configured, ...accountOverview(db).names()]);
  if (!known.has(name)) {
    throw usageError(`unknown account "${name}" in --account: use one of ${[...known].join(', ') || '(none configured)'}`, '--account');
  }
}

export function listFiles(db: Db, filter: FileFilter): { files: FileSummary[]; truncated: boolean } {
  const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
  // One row past the limit tells whether the list was cut.
  const rows = fileListingReader(db).list({ states: filter.states, account: filter.account, sinceMs: filter.sinceMs, limit: limit + 1 });
  return { files: rows.slice(0, limit).map(toSummary), truncated: rows.length > limit };
}

/** By numeric file id, else by meeting UUID (every file of the meeting). Unknown → usage error. */
export function showFiles(db: Db, key: string): FileDetail[] {
  const files = fileListingReader(db);
  let rows: FileListingRow[] = [];
  if (/^\d+$/.test(key)) rows = files.byId(Number(key));
  if (rows.length === 0) rows = files.byMeeting(key);
  if (rows.length === 0) {
    throw usageError(`no file with id or meeting UUID "${key}": find one with \`zk files list\` (ids are the first column)`);
  }
  const adoptions = fileAdoptions(db);
  return rows.map((r) => ({
    ...toSummary(r),
    adoption: adoptionOf(adoptions, r),
    events: files.history(r.id).map((e) => ({ id: e.id, at: isoTime(e.at)!, from: e.fromState, to: e.toState, reason: e.reason, actor: e.actor })),
  }));
}

export function renderFileList(result: { files: FileSummary[]; truncated: boolean }, limit: number): string {
  if (result.files.length === 0) return 'no files match\n';
  const rows = result.files.map((f) => [
    String(f.id),
    f.account,
    f.state,
    f.fileType || '-',
    formatBytes(f.fileSize),
    String(f.attempts),
    f.recordingStart,
    f.topic,
    f.lastError ?? '',
  ]);
  const table = formatTable(['ID', 'ACCOUNT', 'STATE', 'TYPE', 'SIZE', 'TRIES', 'RECORDING START', 'TOPIC', 'LAST ERROR'], rows);
  return table + (result.truncated ? `(first ${limit} shown; use --limit or narrow with --state/--account/--since)\n` : '');
}

export function renderFileDetails(files: FileDetail[]): string {
  return files
    .map((f) => {
      const fields: Array<[string, string | number | null]> = [
        ['file', f.id],
        ['account', f.account],
        ['meeting uuid', f.meetingUuid],
        ['topic', f.topic],
        ['recording start', f.recordingStart],
        ['zoom file id', f.zoomFileId],
        ['type', `${f.fileType || '-'}${f.fileExtension ? ` (${f.fileExtension})` : ''}${f.role ? `, role ${f.role}` : ''}`],
        ['size', `${formatBytes(f.fileSize)} (${f.fileSize} bytes)`],
        ['state', f.state],
        ['attempts', f.attempts],
        ['next attempt', f.nextAttemptAt],
        ['last error', f.lastError ? `${f.lastError}${f.lastErrorCode ? ` [${f.lastErrorCode}]` : ''}` : null],
        ['kaltura entry', f.kalturaEntryId],
        ['adoption', renderAdoption(f.adoption)],
        ['lease', f.leaseOwner ? `${f.leaseOwner} until ${f.leaseUntil}` : null],
        ['detected', f.detectedAt],
        ['handled', f.handledAt],
        ['purged', f.purgedAt],
      ];
      const head = fields
        .filter(([, v]) => v !== null && v !== '')
        .map(([k, v]) => `${`${k}:`.padEnd(17)}${v}`)
        .join('\n');
      const events =
        f.events.length === 0
          ? 'no events'
          : formatTable(
              ['TIME', 'FROM', 'TO', 'ACTOR', 'REASON'],
              f.events.map((e) => [e.at, e.from ?? '-', e.to, e.actor, e.reason]),
            ).trimEnd();
      return `${head}\n\n${events}\n`;
    })
    .join('\n');
}
