/**
 * The planner: pure functions that decide, for one recording segment, which
 * file is the parent entry, which are children, captions, attachments, which
 * M4A are covered by video, and which files are not ingested (and why).
 *
 * Stability rule: the parent is chosen among the MP4 files *known so far* by
 * Kaltura's layout priority. Once the parent has started (left DETECTED/PENDING,
 * or the segment already has a parent entry) it is locked: a higher-priority view
 * listed later becomes a child and never takes over, because the parent entry,
 * its categories and its captions already exist.
 */
import type { ZoomRecordingFile } from './ports.js';
import type { FileState } from './states.js';
import type { FileRole } from '../store/files-repo.js';

/** Kaltura's ORDER_RECORDING_TYPE for media files, highest priority first. */
export const LAYOUT_PRIORITY = [
  'shared_screen_with_speaker_view(cc)',
  'shared_screen_with_speaker_view',
  'shared_screen_with_gallery_view',
  'shared_screen',
  'speaker_view',
  'active_speaker',
  'gallery_view',
  'audio_only',
] as const;

const WEBINAR_TYPES = new Set([5, 6, 9]);

/**
 * The only audio a segment's MP4 carries: Zoom's `audio_only` track. Interpretation tracks
 * (`audio_interpretation`, one per interpreter language) are in no video view, so they are ingested
 * as child audio entries; an M4A of any other type stays in Zoom (IGNORED, never deleted).
 */
export function isCoveredByVideo(recordingType: string): boolean {
  return recordingType.toLowerCase() === 'audio_only';
}

export function isInterpretationAudio(recordingType: string): boolean {
  return recordingType.toLowerCase() === 'audio_interpretation';
}

export function isWebinar(meetingType: number): boolean {
  return WEBINAR_TYPES.has(meetingType);
}

export interface PlanInputFile {
  zoomFileId: string;
  fileType: string;
  recordingType: string;
  /** Current state, when the file already has a row. */
  state?: FileState;
  role?: FileRole | null;
}

export interface PlanOptions {
  meetingType: number;
  meetingsUpload: boolean;
  webinarsUpload: boolean;
  transcriptsEnabled: boolean;
  chatEnabled: boolean;
  /** The segment already has a parent entry (recordings.parent_entry_id). */
  hasParentEntry: boolean;
}

export type PlanAction = 'ingest' | 'ignore' | 'cover' | 'wait';

export interface FilePlan {
  role: FileRole;
  action: PlanAction;
  reason: string;
}

const NOT_STARTED: ReadonlySet<string> = new Set(['DETECTED', 'PENDING']);

/** Lower is better; unknown layouts rank after every known one. */
export function layoutRank(recordingType: string): number {
  const i = (LAYOUT_PRIORITY as readonly string[]).indexOf(recordingType.toLowerCase());
  return i === -1 ? LAYOUT_PRIORITY.length : i;
}

/** A recording type that is (or may be, when Zoom leaves it blank) a video view. */
function mayBeVideo(recordingType: string): boolean {
  const rank = layoutRank(recordingType);
  return recordingType === '' || rank < LAYOUT_PRIORITY.indexOf('audio_only');
}

function byLayout(a: PlanInputFile, b: PlanInputFile): number {
  return layoutRank(a.recordingType) - layoutRank(b.recordingType) || a.zoomFileId.localeCompare(b.zoomFileId);
}

/** Plans every file of one segment; the result is keyed by zoomFileId. */
export function planSegment(files: readonly PlanInputFile[], opts: PlanOptions): Map<string, FilePlan> {
  const plans = new Map<string, FilePlan>();
  const kindEnabled = isWebinar(opts.meetingType) ? opts.webinarsUpload : opts.meetingsUpload;
  if (!kindEnabled) {
    const reason = isWebinar(opts.meetingType) ? 'webinar uploads are disabled for this account' : 'meeting uploads are disabled for this account';
    for (const f of files) plans.set(f.zoomFileId, { role: 'none', action: 'ignore', reason });
    return plans;
  }

  const type = (f: PlanInputFile) => f.fileType.toUpperCase();
  const mp4 = files.filter((f) => type(f) === 'MP4');
  const m4a = files.filter((f) => type(f) === 'M4A');
  // Zoom lists a file still processing with file_type "": if it may be a video, audio must not take the parent yet.
  const videoPending = mp4.length === 0 && files.some((f) => type(f) === '' && mayBeVideo(f.recordingType));
  const media = mp4.length > 0 ? mp4 : videoPending ? [] : m4a;

  // A started (or entry-holding) parent stays the parent.
  const lockedParent = files.find((f) => f.role === 'parent' && f.state !== undefined && !NOT_STARTED.has(f.state));
  let parentId: string | undefined;
  if (lockedParent) parentId = lockedParent.zoomFileId;
  else if (!opts.hasParentEntry && media.length > 0) parentId = [...media].sort(byLayout)[0].zoomFileId;

  for (const f of files) {
    const t = type(f);
    if (f.zoomFileId === parentId) {
      plans.set(f.zoomFileId, { role: 'parent', action: 'ingest', reason: `parent (${f.recordingType || t})` });
    } else if (t === 'MP4') {
      plans.set(f.zoomFileId, { role: 'child', action: 'ingest', reason: `child view (${f.recordingType || t})` });
    } else if (t === 'M4A') {
      if (mp4.length > 0 && isCoveredByVideo(f.recordingType)) plans.set(f.zoomFileId, { role: 'covered', action: 'cover', reason: 'audio_only covered by the segment video' });
      else if (mp4.length > 0 && isInterpretationAudio(f.recordingType)) plans.set(f.zoomFileId, { role: 'child', action: 'ingest', reason: 'child audio (audio_interpretation: no video view carries it)' });
      else if (mp4.length > 0) plans.set(f.zoomFileId, { role: 'none', action: 'ignore', reason: `audio of type ${f.recordingType || 'unknown'} is not known to be in the segment video; left in Zoom` });
      else if (videoPending) plans.set(f.zoomFileId, { role: 'none', action: 'wait', reason: 'a file of the segment that may be video is still processing' });
      else plans.set(f.zoomFileId, { role: 'child', action: 'ingest', reason: `child audio (${f.recordingType || t})` });
    } else if (t === 'TRANSCRIPT' || t === 'CC') {
      plans.set(
        f.zoomFileId,
        opts.transcriptsEnabled
          ? { role: 'caption', action: 'ingest', reason: `caption (${t})` }
          : { role: 'none', action: 'ignore', reason: 'transcripts are disabled for this account' },
      );
    } else if (t === 'CHAT') {
      plans.set(
        f.zoomFileId,
        opts.chatEnabled
          ? { role: 'attachment', action: 'ingest', reason: 'chat attachment' }
          : { role: 'none', action: 'ignore', reason: 'chat is disabled for this account' },
      );
    } else if (t === '') {
      // Zoom omits file_type while processing; decide once it is known.
      plans.set(f.zoomFileId, { role: 'none', action: 'wait', reason: 'file type not known yet' });
    } else {
      plans.set(f.zoomFileId, { role: 'none', action: 'ignore', reason: `type ${t} is not ingested` });
    }
  }
  return plans;
}

/** Groups a meeting's files into segments by their raw recording_start, oldest first. */
export function groupSegments(files: readonly ZoomRecordingFile[]): Array<{ recordingStart: string; files: ZoomRecordingFile[] }> {
  const byStart = new Map<string, ZoomRecordingFile[]>();
  for (const f of files) {
    const list = byStart.get(f.recordingStart) ?? [];
    list.push(f);
    byStart.set(f.recordingStart, list);
  }
  return [...byStart.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([recordingStart, list]) => ({ recordingStart, files: list }));
}

/**
 * A file can be transferred once Zoom reports it complete with a size. Zoom
 * omits `status` on some file types (CC, TIMELINE); a non-zero size then decides.
 */
export function isComplete(file: { zoomStatus: string; fileSize: number }): boolean {
  return (file.zoomStatus === 'completed' || file.zoomStatus === '') && file.fileSize > 0;
}
