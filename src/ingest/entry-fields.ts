/** How a recording file is named and keyed in Kaltura. */
import { createHash } from 'node:crypto';
import type { EntryPolicy, NewEntry } from './ports.js';
import type { RecordingRow } from './store-port/recordings.js';
import type { FileRow } from './store-port/files.js';
import { truncateTitle } from './policy/truncate-title.js';

export const ADMIN_TAG = 'zoomentry';
const MAX_NAME_CODE_POINTS = 256;
const MAX_READABLE_REFERENCE = 200;

/**
 * Deterministic per file, so a crash between "entry created" and "state saved"
 * is repaired by a lookup instead of a second entry. Readable when short.
 */
export function referenceIdFor(zoomAccountId: string, meetingUuid: string, zoomFileId: string): string {
  const readable = `zk:${zoomAccountId}:${meetingUuid}:${zoomFileId}`;
  if (readable.length <= MAX_READABLE_REFERENCE) return readable;
  return `zk:sha1:${createHash('sha1').update(readable).digest('hex')}`;
}

/** Truncates by code points so a surrogate pair (emoji) is never split. */
export function truncateCodePoints(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, max).join('');
}

export function entryName(rec: Pick<RecordingRow, 'topic' | 'meetingId'>): string {
  const topic = rec.topic.trim() || `Zoom recording ${rec.meetingId}`;
  // On a grapheme boundary: a cut inside an emoji ZWJ sequence or before a combining mark garbles the name.
  return truncateTitle(topic, MAX_NAME_CODE_POINTS);
}

export function entryDescription(rec: Pick<RecordingRow, 'meetingId' | 'meetingUuid' | 'recordingStart'>): string {
  const start = Number.isNaN(Date.parse(rec.recordingStart)) ? rec.recordingStart : new Date(rec.recordingStart).toISOString();
  return `Zoom meeting ID: ${rec.meetingId}\nUUID: ${rec.meetingUuid}\nStart (UTC): ${start}`;
}

export function mediaTypeOf(file: Pick<FileRow, 'fileType'>): 1 | 5 {
  return file.fileType.toUpperCase() === 'M4A' ? 5 : 1;
}

/**
 * An interpreter's track is named as such so it is told apart from the main audio. Zoom's recording-file
 * object carries no language field (OpenAPI 2023-07 lists none), so the language cannot be named here.
 */
export function interpretationName(rec: Pick<RecordingRow, 'topic' | 'meetingId'>): string {
  const suffix = ' (interpretation audio)';
  return truncateTitle(entryName(rec), MAX_NAME_CODE_POINTS - suffix.length) + suffix;
}

/** The NewEntry for a media file; children carry parentEntryId and never categories. */
export function newEntryFor(
  file: FileRow,
  rec: RecordingRow,
  policy: EntryPolicy,
  referenceId: string,
  defaults: { conversionProfileId?: number; blockAutoTranscript?: boolean },
  parentEntryId?: string,
): NewEntry {
  const entry: NewEntry = {
    referenceId,
    name: file.recordingType.toLowerCase() === 'audio_interpretation' ? interpretationName(rec) : entryName(rec),
    description: entryDescription(rec),
    mediaType: mediaTypeOf(file),
    adminTags: ADMIN_TAG,
  };
  if (policy.ownerId) entry.userId = policy.ownerId;
  if (parentEntryId) entry.parentEntryId = parentEntryId;
  if (policy.tags.length > 0) entry.tags = policy.tags.join(',');
  const profile = policy.conversionProfileId ?? defaults.conversionProfileId;
  if (profile !== undefined) entry.conversionProfileId = profile;
  if (policy.entitledUsersEdit.length > 0) entry.entitledUsersEdit = policy.entitledUsersEdit.join(',');
  if (policy.entitledUsersPublish.length > 0) entry.entitledUsersPublish = policy.entitledUsersPublish.join(',');
  if (policy.entitledUsersView.length > 0) entry.entitledUsersView = policy.entitledUsersView.join(',');
  // As Kaltura's integration does: Zoom's transcript is the caption, so REACH must not add its own.
  if (defaults.blockAutoTranscript) entry.blockAutoTranscript = true;
  return entry;
}

/** Caption label per Zoom file type, as Kaltura's own integration names them. */
export function captionLabel(fileType: string): string {
  return fileType.toUpperCase() === 'CC' ? 'Zoom_CC' : 'Zoom_TRANSCRIPT';
}

export function chatFilename(meetingId: number): string {
  return `Recording ${meetingId} chat file.txt`;
}

/** Upload-token file name: unique per file, with the real extension so Kaltura detects the format. */
export function uploadFileName(file: Pick<FileRow, 'meetingUuid' | 'zoomFileId' | 'fileExtension' | 'fileType'>): string {
  const ext = (file.fileExtension || file.fileType || 'mp4').toLowerCase();
  const safe = `${file.meetingUuid}_${file.zoomFileId}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${safe}.${ext}`;
}
