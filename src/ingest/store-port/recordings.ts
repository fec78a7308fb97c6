/**
 * Port: recording segments, one per (account, meeting uuid, recording_start).
 * A segment owns one Kaltura parent entry and its resolved entry policy.
 * The SQLite store implements it (recordings-repo.ts).
 */

export interface RecordingRow {
  id: number;
  account: string;
  meetingUuid: string;
  meetingId: number;
  recordingStart: string;
  recordingEnd: string | null;
  topic: string;
  hostId: string | null;
  hostEmail: string | null;
  meetingType: number;
  startTime: string;
  durationMin: number | null;
  parentEntryId: string | null;
  policyJson: string | null;
}

export interface SegmentInput {
  account: string;
  meetingUuid: string;
  meetingId: number;
  recordingStart: string;
  recordingEnd?: string;
  topic: string;
  hostId?: string;
  hostEmail?: string;
  meetingType: number;
  startTime: string;
  durationMin?: number;
}

export interface RecordingsRepo {
  /** Idempotent: returns the segment's id, refreshing its descriptive fields. */
  upsert(segment: SegmentInput): number;
  get(id: number): RecordingRow | undefined;
  find(account: string, meetingUuid: string, recordingStart: string): RecordingRow | undefined;
  setParentEntry(id: number, entryId: string | null): void;
  setPolicy(id: number, policyJson: string): void;
}
