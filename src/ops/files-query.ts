/** Read side of `zk files`: list with filters, and one file (or meeting) with its full history. */
import type { Db } from '../store/db.js';
import { FILE_STATES, type FileState } from '../ingest/states.js';
import { formatBytes, formatTable, isoTime } from './format.js';
import { usageError } from './usage.js';
import { adoptionOf, renderAdoption, type FileAdoptionView } from './files-adoption.js';

export interface FileSummary {
  id: number;
  account: string;
  meetingUuid: string;
  zoomFileId: string;
  topic: string;
  recordingStart: string;
  fileType: string;
  fileExtension: string;
  fileSize: number;
  role: string | null;
  state: FileState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  kalturaEntryId: string | null;
  leaseOwner: string | null;
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

const SELECT_FILES = `SELECT f.id, f.account, f.meeting_uuid, f.zoom_file_id, r.topic, r.recording_start, f.file_type, f.file_extension,
  f.file_size, f.role, f.state, f.attempts, f.next_attempt_at, f.last_error, f.last_error_code, f.kaltura_entry_id,
  f.lease_owner, f.lease_until, f.detected_at, f.handled_at, f.purged_at, f.updated_at
  FROM files f JOIN recordings r ON r.id = f.recording_id`;

interface FileRow {
  id: number;
  account: string;
  meeting_uuid: string;
  zoom_file_id: string;
  topic: string;
  recording_start: string;
  file_type: string;
  file_extension: string;
  file_size: number;
  role: string | null;
  state: FileState;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  last_error_code: string | null;
  kaltura_entry_id: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  detected_at: number;
  handled_at: number | null;
  purged_at: number | null;
  updated_at: number;
}

function toSummary(r: FileRow): FileSummary {
  return {
    id: r.id,
    account: r.account,
    meetingUuid: r.meeting_uuid,
    zoomFileId: r.zoom_file_id,
    topic: r.topic,
    recordingStart: r.recording_start,
    fileType: r.file_type,
    fileExtension: r.file_extension,
    fileSize: r.file_size,
    role: r.role,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: isoTime(r.next_attempt_at),
    lastError: r.last_error,
    lastErrorCode: r.last_error_code,
    kalturaEntryId: r.kaltura_entry_id,
    leaseOwner: r.lease_owner,
    leaseUntil: isoTime(r.lease_until),
    detectedAt: isoTime(r.detected_at)!,
    handledAt: isoTime(r.handled_at),
    purgedAt: isoTime(r.purged_at),
    updatedAt: isoTime(r.updated_at)!,
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
  const known = new Set([...configured, ...(db.prepare('SELECT name FROM accounts').all() as Array<{ name: string }>).map((r) => r.name)]);
  if (!known.has(name)) {
    throw usageError(`unknown account "${name}" in --account: use one of ${[...known].join(', ') || '(none configured)'}`, '--account');
  }
}

export function listFiles(db: Db, filter: FileFilter): { files: FileSummary[]; truncated: boolean } {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (filter.states && filter.states.length > 0) {
    where.push(`f.state IN (${filter.states.map(() => '?').join(', ')})`);
    params.push(...filter.states);
  }
  if (filter.account !== undefined) {
    where.push('f.account = ?');
    params.push(filter.account);
  }
  if (filter.sinceMs !== undefined) {
    // recording_start is Zoom's ISO time; SQLite's unixepoch() understands the Z suffix.
    where.push('unixepoch(r.recording_start) * 1000 >= ?');
    params.push(filter.sinceMs);
  }
  const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
  const sql = `${SELECT_FILES}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
    ORDER BY r.recording_start DESC, f.id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...params, limit + 1) as FileRow[];
  return { files: rows.slice(0, limit).map(toSummary), truncated: rows.length > limit };
}

/** By numeric file id, else by meeting UUID (every file of the meeting). Unknown → usage error. */
export function showFiles(db: Db, key: string): FileDetail[] {
  let rows: FileRow[] = [];
  if (/^\d+$/.test(key)) rows = db.prepare(`${SELECT_FILES} WHERE f.id = ?`).all(Number(key)) as FileRow[];
  if (rows.length === 0) {
    rows = db.prepare(`${SELECT_FILES} WHERE f.meeting_uuid = ? ORDER BY r.recording_start, f.id`).all(key) as FileRow[];
  }
  if (rows.length === 0) {
    throw usageError(`no file with id or meeting UUID "${key}": find one with \`zk files list\` (ids are the first column)`);
  }
  const events = db.prepare(
    'SELECT id, at, from_state, to_state, reason, actor FROM events WHERE file_id = ? ORDER BY at, id',
  );
  return rows.map((r) => ({
    ...toSummary(r),
    adoption: adoptionOf(db, r.id),
    events: (
      events.all(r.id) as Array<{ id: number; at: number; from_state: string | null; to_state: string; reason: string; actor: string }>
    ).map((e) => ({ id: e.id, at: isoTime(e.at)!, from: e.from_state, to: e.to_state, reason: e.reason, actor: e.actor })),
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
