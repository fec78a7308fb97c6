/**
 * Drop-folder rows: one per Zoom recording file, keyed by (account, meeting
 * uuid, zoom file id). Every state change goes through `transition`, a
 * compare-and-set on the expected state that appends its event in the same
 * short synchronous transaction, so the history can never disagree with the row.
 */
import type { Db } from './db.js';
import type { FileState } from '../ingest/states.js';
import type { EventActor } from '../ingest/store-port/events.js';
import type { FilePatch, FileRow, FilesRepo, ListedFile, TransitionOptions } from '../ingest/store-port/files.js';

export type { FilePatch, FileRole, FileRow, FilesRepo, ListedFile, TransitionOptions } from '../ingest/store-port/files.js';

const PATCHABLE = new Set<string>([
  'fileType', 'fileExtension', 'recordingType', 'zoomStatus', 'fileSize', 'downloadUrl', 'role', 'attempts',
  'nextAttemptAt', 'lastError', 'lastErrorCode', 'referenceId', 'kalturaEntryId', 'kalturaAssetId', 'uploadTokenId',
  'uploadedBytes', 'ingestedSize', 'leaseOwner', 'leaseUntil', 'handledAt', 'purgeAfter', 'purgedAt', 'createStartedAt',
  'contentSubmittedAt', 'verifiedBy', 'conversionFailures', 'blockedStreak',
]);

const ALL_COLUMNS = [
  'id', 'account', 'meetingUuid', 'zoomFileId', 'recordingId', 'fileType', 'fileExtension', 'recordingType', 'zoomStatus',
  'fileSize', 'downloadUrl', 'role', 'state', 'attempts', 'nextAttemptAt', 'lastError', 'lastErrorCode', 'referenceId',
  'kalturaEntryId', 'kalturaAssetId', 'uploadTokenId', 'uploadedBytes', 'ingestedSize', 'leaseOwner', 'leaseUntil',
  'detectedAt', 'handledAt', 'purgeAfter', 'purgedAt', 'updatedAt', 'createStartedAt', 'contentSubmittedAt', 'verifiedBy',
  'conversionFailures', 'blockedStreak',
];

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const SELECT = `SELECT ${ALL_COLUMNS.map((c) => `f.${snake(c)} AS ${c}`).join(', ')} FROM files f`;

export function createFilesRepo(db: Db, clock: { now(): number }): FilesRepo {
  const insert = db.prepare(
    `INSERT INTO files (account, meeting_uuid, zoom_file_id, recording_id, file_type, file_extension, recording_type,
       zoom_status, file_size, download_url, state, detected_at, updated_at)
     VALUES (@account, @meetingUuid, @zoomFileId, @recordingId, @fileType, @fileExtension, @recordingType,
       @zoomStatus, @fileSize, @downloadUrl, 'DETECTED', @now, @now)
     ON CONFLICT(account, meeting_uuid, zoom_file_id) DO NOTHING`,
  );
  const refreshDetected = db.prepare(
    `UPDATE files SET file_type = @fileType, file_extension = @fileExtension, recording_type = @recordingType,
       zoom_status = @zoomStatus, file_size = @fileSize, download_url = @downloadUrl, updated_at = @now
     WHERE id = @id AND state = 'DETECTED'
       AND (file_type, file_extension, recording_type, zoom_status, file_size, COALESCE(download_url, ''))
         IS NOT (@fileType, @fileExtension, @recordingType, @zoomStatus, @fileSize, @downloadUrl)`,
  );
  const refreshPending = db.prepare(
    `UPDATE files SET zoom_status = @zoomStatus, file_size = @fileSize, download_url = @downloadUrl, updated_at = @now
     WHERE id = @id AND state = 'PENDING' AND upload_token_id IS NULL AND kaltura_entry_id IS NULL
       AND (zoom_status, file_size, COALESCE(download_url, '')) IS NOT (@zoomStatus, @fileSize, @downloadUrl)`,
  );
  // The download URL may be re-issued by Zoom; keeping it fresh never changes what is transferred.
  const refreshUrl = db.prepare(`UPDATE files SET download_url = ? WHERE id = ? AND COALESCE(download_url, '') <> ?`);
  const findId = db.prepare('SELECT id FROM files WHERE account = ? AND meeting_uuid = ? AND zoom_file_id = ?');
  const getStmt = db.prepare(`${SELECT} WHERE f.id = ?`);
  const findStmt = db.prepare(`${SELECT} WHERE f.account = ? AND f.meeting_uuid = ? AND f.zoom_file_id = ?`);
  const byRecording = db.prepare(`${SELECT} WHERE f.recording_id = ? ORDER BY f.id`);
  const stateOf = db.prepare('SELECT state, lease_owner AS leaseOwner, lease_until AS leaseUntil FROM files WHERE id = ?');
  const appendEvent = db.prepare(
    `INSERT INTO events (file_id, account, at, from_state, to_state, reason, actor)
     SELECT id, account, @at, @fromState, @toState, @reason, @actor FROM files WHERE id = @fileId`,
  );
  const claimStmt = db.prepare(
    `UPDATE files SET lease_owner = @owner, lease_until = @until
     WHERE id = @id AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until <= @now OR lease_owner = @owner)`,
  );
  const renewStmt = db.prepare('UPDATE files SET lease_until = ? WHERE id = ? AND lease_owner = ?');
  const releaseStmt = db.prepare('UPDATE files SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?');
  const dueStmt = db.prepare(
    `${SELECT} JOIN recordings r ON r.id = f.recording_id
     WHERE f.account = @account AND (f.lease_until IS NULL OR f.lease_until <= @now OR f.lease_owner = @owner)
       AND (
         (f.state IN ('PENDING', 'RETRY_WAIT') AND COALESCE(f.next_attempt_at, 0) <= @now
           AND (f.role = 'parent' OR r.parent_entry_id IS NOT NULL))
         OR f.state = 'TRANSFERRING'
         OR (f.state = 'IMPORTING' AND COALESCE(f.next_attempt_at, 0) <= @now)
       )
     ORDER BY CASE f.role WHEN 'parent' THEN 0 WHEN 'child' THEN 1 ELSE 2 END, f.id
     LIMIT @limit`,
  );
  const strandedStmt = db.prepare(
    `${SELECT} JOIN recordings r ON r.id = f.recording_id
     WHERE f.account = @account AND f.state = 'PENDING' AND f.role IN ('caption', 'attachment')
       AND f.detected_at <= @before AND r.parent_entry_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM files s WHERE s.recording_id = f.recording_id
         AND (s.role IN ('parent', 'child') OR s.state = 'DETECTED' OR s.file_type = ''))
     ORDER BY f.id`,
  );
  const handledStmt = db.prepare(`${SELECT} WHERE f.account = ? AND f.state = 'HANDLED' ORDER BY f.id`);
  const purgeDueStmt = db.prepare(
    `${SELECT} WHERE f.account = @account AND f.state = 'PURGE_PENDING' AND f.purge_after <= @now
       AND COALESCE(f.next_attempt_at, 0) <= @now AND (f.lease_until IS NULL OR f.lease_until <= @now OR f.lease_owner = @owner)
     ORDER BY CASE f.role WHEN 'covered' THEN 1 ELSE 0 END, f.purge_after, f.id LIMIT @limit`,
  );
  const patchStatements = new Map<string, ReturnType<Db['prepare']>>();

  function patchStatement(keys: string[]) {
    const signature = keys.join(',');
    let stmt = patchStatements.get(signature);
    if (!stmt) {
      const sets = keys.map((k) => `${snake(k)} = @${k}`);
      stmt = db.prepare(`UPDATE files SET ${[...sets, 'state = @toState', 'updated_at = @now'].join(', ')} WHERE id = @id AND state = @fromState`);
      patchStatements.set(signature, stmt);
    }
    return stmt;
  }

  function patchKeys(patch: FilePatch): string[] {
    const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined).sort();
    for (const k of keys) if (!PATCHABLE.has(k)) throw new TypeError(`files-repo: column ${k} cannot be patched`);
    return keys;
  }

  const asList = (s: FileState | readonly FileState[]): readonly FileState[] => (typeof s === 'string' ? [s] : s);

  const transitionTx = db.transaction(
    (fileId: number, from: readonly FileState[], to: FileState, reason: string, patch: FilePatch, actor: EventActor, leaseOwner?: string) => {
      const now = clock.now();
      const current = stateOf.get(fileId) as { state: FileState; leaseOwner: string | null; leaseUntil: number | null } | undefined;
      if (!current || !from.includes(current.state)) return false;
      if (leaseOwner && current.leaseOwner && current.leaseOwner !== leaseOwner && (current.leaseUntil ?? 0) > now) return false;
      const keys = patchKeys(patch);
      const info = patchStatement(keys).run({ ...patch, id: fileId, fromState: current.state, toState: to, now });
      if (info.changes !== 1) return false;
      appendEvent.run({ fileId, at: now, fromState: current.state, toState: to, reason, actor });
      return true;
    },
  );

  const updateTx = db.transaction((fileId: number, expected: readonly FileState[], patch: FilePatch) => {
    const current = stateOf.get(fileId) as { state: FileState } | undefined;
    if (!current || !expected.includes(current.state)) return false;
    const keys = patchKeys(patch);
    return patchStatement(keys).run({ ...patch, id: fileId, fromState: current.state, toState: current.state, now: clock.now() }).changes === 1;
  });

  const upsertTx = db.transaction((file: ListedFile, actor: EventActor) => {
    const now = clock.now();
    const params = { ...file, now };
    const info = insert.run(params);
    if (info.changes === 1) {
      const id = Number(info.lastInsertRowid);
      appendEvent.run({ fileId: id, at: now, fromState: null, toState: 'DETECTED', reason: 'listed by Zoom', actor });
      return { id, created: true };
    }
    const { id } = findId.get(file.account, file.meetingUuid, file.zoomFileId) as { id: number };
    refreshDetected.run({ ...params, id });
    refreshPending.run({ ...params, id });
    refreshUrl.run(file.downloadUrl, id, file.downloadUrl);
    return { id, created: false };
  });

  return {
    upsertListed: (file, actor = 'daemon') => upsertTx.immediate(file, actor),
    get: (id) => getStmt.get(id) as FileRow | undefined,
    find: (account, uuid, fileId) => findStmt.get(account, uuid, fileId) as FileRow | undefined,
    listByRecording: (recordingId) => byRecording.all(recordingId) as FileRow[],
    list(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.account) (where.push('f.account = ?'), params.push(filter.account));
      if (filter.state) (where.push('f.state = ?'), params.push(filter.state));
      const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY f.id LIMIT ?`;
      return db.prepare(sql).all(...params, filter.limit ?? 10_000) as FileRow[];
    },
    countByState(account) {
      const rows = (account
        ? db.prepare('SELECT state, COUNT(*) AS n FROM files WHERE account = ? GROUP BY state').all(account)
        : db.prepare('SELECT state, COUNT(*) AS n FROM files GROUP BY state').all()) as Array<{ state: string; n: number }>;
      return Object.fromEntries(rows.map((r) => [r.state, r.n]));
    },
    transition(fileId, from, to, reason, patch = {}, opts = {}) {
      const o: TransitionOptions = typeof opts === 'string' ? { actor: opts } : opts;
      return transitionTx.immediate(fileId, asList(from), to, reason, patch, o.actor ?? 'daemon', o.leaseOwner);
    },
    update: (fileId, expected, patch) => updateTx.immediate(fileId, asList(expected), patch),
    claim: (id, owner, ttlMs) => {
      const now = clock.now();
      return claimStmt.run({ id, owner, until: now + ttlMs, now }).changes === 1;
    },
    renewLease: (id, owner, ttlMs) => renewStmt.run(clock.now() + ttlMs, id, owner).changes === 1,
    releaseLease(id, owner) {
      releaseStmt.run(id, owner);
    },
    listStrandedAssets: (account, before) => strandedStmt.all({ account, before }) as FileRow[],
    listDue: (account, owner, limit) => dueStmt.all({ account, owner, now: clock.now(), limit }) as FileRow[],
    listHandled: (account) => handledStmt.all(account) as FileRow[],
    listPurgeDue: (account, owner, limit) => purgeDueStmt.all({ account, owner, now: clock.now(), limit }) as FileRow[],
    reviveFailed(fileId, actor = 'cli', reason = 'revived by operator') {
      return transitionTx.immediate(fileId, ['FAILED'], 'PENDING', reason, { attempts: 0, nextAttemptAt: null, lastError: null, lastErrorCode: null }, actor, undefined);
    },
  };
}
