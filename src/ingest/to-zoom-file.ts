/**
 * A stored file row back in the RecordingSource's terms, for the calls that
 * need the Zoom file again (download, download access, policy resolution).
 */
import type { ZoomRecordingFile } from './ports.js';
import type { RecordingRow } from './store-port/recordings.js';
import type { FileRow } from './store-port/files.js';

export function toZoomFile(f: FileRow, rec: Pick<RecordingRow, 'recordingStart' | 'recordingEnd'>): ZoomRecordingFile {
  return {
    id: f.zoomFileId,
    meetingUuid: f.meetingUuid,
    recordingStart: rec.recordingStart,
    recordingEnd: rec.recordingEnd ?? '',
    fileType: f.fileType,
    fileExtension: f.fileExtension,
    fileSize: f.fileSize,
    recordingType: f.recordingType,
    status: f.zoomStatus,
    downloadUrl: f.downloadUrl ?? '',
  };
}
