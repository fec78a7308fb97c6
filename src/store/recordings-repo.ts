/**
 * Recording segments: one row per (account, meeting uuid, recording_start).
 * A segment owns one Kaltura parent entry and its resolved entry policy.
 */
import type { Db } from './db.js';
import type { RecordingRow, RecordingsRepo } from '../ingest/store-port/recordings.js';

export type { RecordingRow, RecordingsRepo, SegmentInput } from '../ingest/store-port/recordings.js';

const SELECT = `SELECT id, account, meeting_uuid AS meetingUuid, meeting_id AS meetingId, recording_start AS recordingStart,
  recording_end AS recordingEnd, topic, host_id AS hostId, host_email AS hostEmail, meeting_type AS meetingType,
  start_time AS startTime, duration_min AS durationMin, parent_entry_id AS parentEntryId, policy_json AS policyJson
  FROM recordings`;

export function createRecordingsRepo(db: Db, clock: { now(): number }): RecordingsRepo {
  const upsert = db.prepare(
    `INSERT INTO recordings (account, meeting_uuid, meeting_id, recording_start, recording_end, topic, host_id, host_email,
       meeting_type, start_time, duration_min, created_at, updated_at)
     VALUES (@account, @meetingUuid, @meetingId, @recordingStart, @recordingEnd, @topic, @hostId, @hostEmail,
       @meetingType, @startTime, @durationMin, @now, @now)
     ON CONFLICT(account, meeting_uuid, recording_start) DO UPDATE SET
       recording_end = COALESCE(excluded.recording_end, recording_end), topic = excluded.topic,
       host_id = excluded.host_id, host_email = excluded.host_email, duration_min = excluded.duration_min,
       updated_at = excluded.updated_at
     RETURNING id`,
  );
  const get = db.prepare(`${SELECT} WHERE id = ?`);
  const find = db.prepare(`${SELECT} WHERE account = ? AND meeting_uuid = ? AND recording_start = ?`);
  const setParent = db.prepare('UPDATE recordings SET parent_entry_id = ?, updated_at = ? WHERE id = ?');
  const setPolicy = db.prepare('UPDATE recordings SET policy_json = ?, updated_at = ? WHERE id = ?');
  return {
    upsert(s) {
      const row = upsert.get({
        account: s.account,
        meetingUuid: s.meetingUuid,
        meetingId: s.meetingId,
        recordingStart: s.recordingStart,
        recordingEnd: s.recordingEnd ?? null,
        topic: s.topic,
        hostId: s.hostId ?? null,
        hostEmail: s.hostEmail ?? null,
        meetingType: s.meetingType,
        startTime: s.startTime,
        durationMin: s.durationMin ?? null,
        now: clock.now(),
      }) as { id: number };
      return row.id;
    },
    get: (id) => get.get(id) as RecordingRow | undefined,
    find: (account, uuid, start) => find.get(account, uuid, start) as RecordingRow | undefined,
    setParentEntry(id, entryId) {
      setParent.run(entryId, clock.now(), id);
    },
    setPolicy(id, json) {
      setPolicy.run(json, clock.now(), id);
    },
  };
}
