/**
 * What `zk files list` and `zk files show` read: files with their segment's topic and start
 * time, and one file's history in the order it happened.
 */
import type { Db } from './db.js';
import type { FileState } from '../ingest/states.js';

export interface FileListingRow {
  id: number;
  account: string;
  meetingUuid: string;
  zoomFileId: string;
  recordingId: number;
  topic: string;
  recordingStart: string;
  fileType: string;
  fileExtension: string;
  fileSize: number;
  role: string | null;
  state: FileState;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  lastErrorCode: string | null;
  kalturaEntryId: string | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  detectedAt: number;
  handledAt: number | null;
  purgedAt: number | null;
  updatedAt: number;
}

export interface FileListingFilter {
  states?: readonly FileState[];
  account?: string;
  /** Files whose recording started at or after this ms epoch. */
  sinceMs?: number;
  limit: number;
}

export interface FileHistoryEvent {
  id: number;
  at: number;
  fromState: string | null;
  toState: string;
  reason: string;
  actor: string;
}

export interface FileListingReader {
  /** Newest recording first (then highest id), at most `limit` rows. */
  list(filter: FileListingFilter): FileListingRow[];
  /** The file with this id (zero or one row). */
  byId(id: number): FileListingRow[];
  /** Every file of the meeting, oldest segment first. */
  byMeeting(meetingUuid: string): FileListingRow[];
  /** The file's events by time (then id). */
  history(fileId: number): FileHistoryEvent[];
}

const SELECT_FILES = `SELECT f.id, f.account, f.meeting_uuid AS meetingUuid, f.zoom_file_id AS zoomFileId, f.recording_id AS recordingId,
  r.topic, r.recording_start AS recordingStart, f.file_type AS fileType, f.file_extension AS fileExtension, f.file_size AS fileSize,
  f.role, f.state, f.attempts, f.next_attempt_at AS nextAttemptAt, f.last_error AS lastError, f.last_error_code AS lastErrorCode,
  f.kaltura_entry_id AS kalturaEntryId, f.lease_owner AS leaseOwner, f.lease_until AS leaseUntil, f.detected_at AS detectedAt,
  f.handled_at AS handledAt, f.purged_at AS purgedAt, f.updated_at AS updatedAt
  FROM files f JOIN recordings r ON r.id = f.recording_id`;

export function fileListingReader(db: Db): FileListingReader {
  const byId = db.prepare<[number], FileListingRow>(`${SELECT_FILES} WHERE f.id = ?`);
  const byMeeting = db.prepare<[string], FileListingRow>(`${SELECT_FILES} WHERE f.meeting_uuid = ? ORDER BY r.recording_start, f.id`);
  const history = db.prepare<[number], FileHistoryEvent>(
    'SELECT id, at, from_state AS fromState, to_state AS toState, reason, actor FROM events WHERE file_id = ? ORDER BY at, id',
  );
  return {
    list(filter) {
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
      const sql = `${SELECT_FILES}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
        ORDER BY r.recording_start DESC, f.id DESC LIMIT ?`;
      return db.prepare<unknown[], FileListingRow>(sql).all(...params, filter.limit);
    },
    byId: (id) => byId.all(id),
    byMeeting: (meetingUuid) => byMeeting.all(meetingUuid),
    history: (fileId) => history.all(fileId),
  };
}
