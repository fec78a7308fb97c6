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
 *
 * Completion order: while a file that may be a higher-priority view than the
 * best complete one is still processing, no parent is chosen (the complete views
 * wait as children without a parent, which moves nothing), so the parent is the
 * same whatever order Zoom finishes the files in. `viewWaitExpired` (the segment
 * waited `global.parentViewWait`) bounds that: then the best complete view wins.
 */
import type { ZoomRecordingFile } from './ports.js';
import type { FileState } from './states.js';
import type { FileRole } from './store-port/files.js';
import { isWebinar } from './policy/is-webinar.js';

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

export interface PlanInputFile {
  zoomFileId: string;
  fileType: string;
  recordingType: string;
  /** Current state, when the file already has a row. */
  state?: FileState;
  role?: FileRole | null;
  /** Zoom is still processing the file (not complete with a size). */
  processing?: boolean;
}

export interface PlanOptions {
  meetingType: number;
  meetingsUpload: boolean;
  webinarsUpload: boolean;
  transcriptsEnabled: boolean;
  chatEnabled: boolean;
  /** The segment already has a parent entry (recordings.parent_entry_id). */
  hasParentEntry: boolean;
  /** The segment waited the longest zk waits for a better view still processing: the best complete view wins. */
  viewWaitExpired?: boolean;
}

export type PlanAction = 'ingest' | 'ignore' | 'cover' | 'wait';

export interface FilePlan {
  role: FileRole;
  action: PlanAction;
  reason: string;
  /** On the parent chosen because the wait for a better view expired (the caller logs the decision). */
  waitExpired?: { over: string[] };
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
  const webinar = isWebinar({ type: opts.meetingType });
  const kindEnabled = webinar ? opts.webinarsUpload : opts.meetingsUpload;
  if (!kindEnabled) {
    const reason = webinar ? 'webinar uploads are disabled for this account' : 'meeting uploads are disabled for this account';
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
  let waitExpired: FilePlan['waitExpired'];
  if (lockedParent) parentId = lockedParent.zoomFileId;
  else if (!opts.hasParentEntry && media.length > 0) {
    const choice = chooseParent(files, media, opts.viewWaitExpired === true);
    parentId = choice.parentId;
    waitExpired = choice.waitExpired;
  }

  for (const f of files) {
    const t = type(f);
    if (f.zoomFileId === parentId) {
      const why = waitExpired ? `; chosen after waiting for ${waitExpired.over.join(', ')} still processing` : '';
      plans.set(f.zoomFileId, { role: 'parent', action: 'ingest', reason: `parent (${f.recordingType || t})${why}`, ...(waitExpired ? { waitExpired } : {}) });
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

/**
 * The parent among `media`: the best view by layout priority, but only once no
 * file that may be a better view is still processing (or the wait expired).
 * With nothing complete yet, the best known view is named (nothing moves before
 * it completes anyway).
 */
function chooseParent(files: readonly PlanInputFile[], media: readonly PlanInputFile[], expired: boolean): { parentId?: string; waitExpired?: { over: string[] } } {
  const complete = media.filter((f) => !f.processing).sort(byLayout);
  if (complete.length === 0) return { parentId: [...media].sort(byLayout)[0].zoomFileId };
  const best = complete[0];
  const type = (f: PlanInputFile) => f.fileType.toUpperCase();
  // A processing file with no type or no layout yet could be any view.
  const mayBeBetter = files.filter(
    (f) => f.processing && (type(f) === 'MP4' || type(f) === '') && (f.recordingType === '' || (mayBeVideo(f.recordingType) && byLayout(f, best) < 0)),
  );
  if (mayBeBetter.length === 0) return { parentId: best.zoomFileId };
  if (!expired) return {};
  return { parentId: best.zoomFileId, waitExpired: { over: mayBeBetter.map((f) => f.recordingType || f.zoomFileId) } };
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
