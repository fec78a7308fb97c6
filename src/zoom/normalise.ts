/** Zoom JSON → the port's shapes. Missing fields become '' or 0, never guesses. */
import { syntheticFileId, type ZoomMeeting, type ZoomRecordingFile, type ZoomUser } from '../ingest/ports.js';

export interface WireFile {
  id?: string;
  meeting_id?: string;
  recording_start?: string;
  recording_end?: string;
  file_type?: string;
  file_extension?: string;
  file_size?: number;
  download_url?: string;
  status?: string;
  recording_type?: string;
}

export interface WireMeeting {
  uuid: string;
  id: number | string;
  host_id?: string;
  host_email?: string;
  topic?: string;
  type?: number | string;
  start_time?: string;
  duration?: number;
  recording_files?: WireFile[];
}

export interface WireUser {
  id?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  display_name?: string;
  type?: number;
  status?: string;
  cms_user_id?: string;
  last_login_time?: string;
  last_client_version?: string;
}

export function normaliseFile(f: WireFile, meetingUuid: string): ZoomRecordingFile {
  const fileType = f.file_type ?? '';
  const recordingStart = f.recording_start ?? '';
  return {
    // [spec23] CC/TIMELINE objects carry no id: a stable synthetic one keys them.
    id: f.id ?? syntheticFileId(fileType, recordingStart),
    meetingUuid: f.meeting_id ?? meetingUuid,
    recordingStart,
    recordingEnd: f.recording_end ?? '',
    fileType,
    fileExtension: f.file_extension ?? '',
    fileSize: typeof f.file_size === 'number' ? f.file_size : 0,
    recordingType: f.recording_type ?? '',
    status: f.status ?? '',
    downloadUrl: f.download_url ?? '',
  };
}

export function normaliseMeeting(m: WireMeeting): ZoomMeeting {
  return {
    uuid: m.uuid,
    id: Number(m.id),
    hostId: m.host_id ?? '',
    hostEmail: m.host_email ?? '',
    topic: m.topic ?? '',
    // The spec types it as a string; Zoom sends an integer.
    type: Number(m.type ?? 0),
    startTime: m.start_time ?? '',
    durationMin: m.duration ?? 0,
    files: (m.recording_files ?? []).map((f) => normaliseFile(f, m.uuid)),
  };
}

export function normaliseUser(u: WireUser): ZoomUser {
  return {
    ...(u.id !== undefined ? { id: u.id } : {}),
    email: u.email ?? '',
    firstName: u.first_name,
    lastName: u.last_name,
    displayName: u.display_name,
    type: Number(u.type ?? 0),
    status: u.status ?? '',
    cmsUserId: u.cms_user_id,
    lastLoginTime: u.last_login_time,
    lastClientVersion: u.last_client_version,
  };
}
