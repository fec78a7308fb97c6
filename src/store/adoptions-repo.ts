/**
 * Adoption records: the segment's decision (which entry of Kaltura's Zoom
 * integration is its parent) and each file's outcome. Every write that
 * changes what zk does next happens in one transaction with that change.
 */
import type { Db } from './db.js';
import type { FileState } from '../ingest/states.js';
import type { EventActor } from '../ingest/store-port/events.js';
import type { FilePatch, FilesRepo } from '../ingest/store-port/files.js';
import type { AdoptionsRepo, FileAdoption, FileAdoptionOutcome, SegmentAdoption, SegmentDecisionKind } from '../ingest/store-port/adoptions.js';

export type { AdoptionsRepo, FileAdoption, FileAdoptionOutcome, SegmentAdoption, SegmentDecisionKind } from '../ingest/store-port/adoptions.js';

/** Rolls the decision back when the segment got a parent entry of its own meanwhile. */
class SegmentTaken extends Error {}

/** Not started: no entry, no upload token (checked in the statement); TRANSFERRING only just begun before a crash. */
const STARTABLE_FOR_DEMOTION = ['DETECTED', 'PENDING', 'RETRY_WAIT', 'TRANSFERRING'];

export function createAdoptionsRepo(db: Db, clock: { now(): number }, files: FilesRepo): AdoptionsRepo {
  const getSegment = db.prepare(
    `SELECT recording_id AS recordingId, decision, parent_entry_id AS parentEntryId, reason, checked_at AS checkedAt FROM segment_adoptions WHERE recording_id = ?`,
  );
  const insertSegment = db.prepare(
    `INSERT INTO segment_adoptions (recording_id, decision, parent_entry_id, reason, checked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(recording_id) DO NOTHING`,
  );
  const setParent = db.prepare('UPDATE recordings SET parent_entry_id = ?, updated_at = ? WHERE id = ? AND parent_entry_id IS NULL');
  const demoteParents = db.prepare(
    `UPDATE files SET role = 'child', updated_at = ? WHERE recording_id = ? AND role = 'parent' AND kaltura_entry_id IS NULL
       AND upload_token_id IS NULL AND state IN (${STARTABLE_FOR_DEMOTION.map(() => '?').join(', ')})`,
  );
  const getFile = db.prepare(
    `SELECT file_id AS fileId, account, outcome, kaltura_entry_id AS kalturaEntryId, kaltura_asset_id AS kalturaAssetId, detail, at FROM file_adoptions WHERE file_id = ?`,
  );
  const upsertFile = db.prepare(
    `INSERT INTO file_adoptions (file_id, account, outcome, kaltura_entry_id, kaltura_asset_id, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(file_id) DO UPDATE SET outcome = excluded.outcome, kaltura_entry_id = excluded.kaltura_entry_id,
       kaltura_asset_id = excluded.kaltura_asset_id, detail = excluded.detail, at = excluded.at`,
  );
  const held = db.prepare(`SELECT DISTINCT kaltura_entry_id AS id FROM files WHERE recording_id = ? AND id <> ? AND kaltura_entry_id IS NOT NULL AND role IN ('parent', 'child')`);
  const heldBySibling = db.prepare(
    `SELECT 1 FROM files s JOIN files f ON f.recording_id = s.recording_id WHERE f.id = ? AND s.id <> f.id AND s.kaltura_entry_id = ? AND s.role IN ('parent', 'child')`,
  );
  const counts = db.prepare(`SELECT outcome, COUNT(*) AS n FROM file_adoptions WHERE (? IS NULL OR account = ?) GROUP BY outcome`);

  const decideTx = db.transaction((recordingId: number, decision: SegmentDecisionKind, parentEntryId: string | null, reason: string) => {
    const now = clock.now();
    if (insertSegment.run(recordingId, decision, parentEntryId, reason, now).changes !== 1) return false;
    if (decision !== 'adopt') return true;
    if (setParent.run(parentEntryId, now, recordingId).changes !== 1) throw new SegmentTaken();
    demoteParents.run(now, recordingId, ...STARTABLE_FOR_DEMOTION);
    return true;
  });

  const adoptTx = db.transaction(
    (file: { id: number; account: string }, from: readonly FileState[], patch: FilePatch & { kalturaEntryId: string }, reason: string, evidence: string, opts: { actor: EventActor; leaseOwner: string }) => {
      // One entry stands for one Zoom file: a sibling adopted it first (two workers, same bytes) → not adopted here.
      if (!patch.kalturaAssetId && heldBySibling.get(file.id, patch.kalturaEntryId)) return false;
      if (!files.transition(file.id, from, 'HANDLED', reason, patch, opts)) return false;
      upsertFile.run(file.id, file.account, 'adopted', patch.kalturaEntryId, patch.kalturaAssetId ?? null, evidence, clock.now());
      return true;
    },
  );

  return {
    segment: (id) => getSegment.get(id) as SegmentAdoption | undefined,
    decideSegment(recordingId, decision, parentEntryId, reason) {
      try {
        return decideTx.immediate(recordingId, decision, parentEntryId, reason);
      } catch (err) {
        // The transaction rolled back: nothing was decided.
        if (err instanceof SegmentTaken) return false;
        throw err;
      }
    },
    file: (id) => getFile.get(id) as FileAdoption | undefined,
    recordFile(fileId, account, outcome, detail) {
      upsertFile.run(fileId, account, outcome, null, null, detail, clock.now());
    },
    adopt: (file, from, patch, reason, evidence, opts) => adoptTx.immediate(file, from, patch, reason, evidence, opts),
    heldEntryIds: (recordingId, except) => new Set((held.all(recordingId, except) as Array<{ id: string }>).map((r) => r.id)),
    countByOutcome(account) {
      const out: Record<FileAdoptionOutcome, number> = { adopted: 0, conflict: 0, absent: 0 };
      for (const r of counts.all(account ?? null, account ?? null) as Array<{ outcome: FileAdoptionOutcome; n: number }>) out[r.outcome] = r.n;
      return out;
    },
  };
}
