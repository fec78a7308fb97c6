/**
 * In-memory RecordingSource behaving like Zoom: account-wide listing by UTC
 * window, processing files with size 0, Range downloads, trash, and scripted
 * failures (including a stream that breaks mid-download).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { PermanentError, RetryableError } from '../../src/errors.js';
import type {
  DateWindow, DownloadStream, RecordingSource, ZoomMeeting, ZoomMeetingDetails, ZoomRecordingFile, ZoomUser,
} from '../../src/ingest/ports.js';
import { FaultPlan } from './fault-plan.js';

/** Deterministic content for a file id: the same bytes on every call. */
export function contentFor(fileId: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(fileId).digest();
  for (let pos = 0; pos < size; pos += block.length) {
    block.copy(out, pos, 0, Math.min(block.length, size - pos));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export interface FakeFileSpec {
  id: string;
  fileType: string;
  recordingType: string;
  size: number;
  status?: string;
  recordingStart?: string;
  extension?: string;
}

export interface FakeMeetingSpec {
  uuid: string;
  id: number;
  topic?: string;
  type?: number;
  startTime: string;
  hostEmail?: string;
  files: FakeFileSpec[];
}

export class FakeZoom implements RecordingSource {
  readonly faults = new FaultPlan();
  readonly meetings = new Map<string, ZoomMeeting>();
  readonly content = new Map<string, Buffer>();
  readonly deleted: Array<{ meetingUuid: string; fileId: string; action: string }> = [];
  readonly listed: DateWindow[] = [];
  readonly downloads: Array<{ fileId: string; offset: number }> = [];
  /** Break the next download of a file after this many bytes (once). */
  breakAfter = new Map<string, number>();
  /** Bytes per stream piece. */
  chunkBytes = 64 * 1024;

  constructor(readonly account = 'acct-1') {}

  addMeeting(spec: FakeMeetingSpec): ZoomMeeting {
    const meeting: ZoomMeeting = {
      uuid: spec.uuid,
      id: spec.id,
      hostId: 'host-1',
      hostEmail: spec.hostEmail ?? 'host@example.edu',
      topic: spec.topic ?? `Meeting ${spec.id}`,
      type: spec.type ?? 2,
      startTime: spec.startTime,
      durationMin: 30,
      files: [],
    };
    this.meetings.set(spec.uuid, meeting);
    for (const f of spec.files) this.setFile(spec.uuid, f);
    return meeting;
  }

  /** Adds or replaces a file (e.g. to finish processing). */
  setFile(meetingUuid: string, f: FakeFileSpec): void {
    const meeting = this.meetings.get(meetingUuid)!;
    const status = f.status ?? 'completed';
    const file: ZoomRecordingFile = {
      id: f.id,
      meetingUuid,
      recordingStart: f.recordingStart ?? meeting.startTime,
      recordingEnd: f.recordingStart ?? meeting.startTime,
      fileType: f.fileType,
      fileExtension: f.extension ?? f.fileType,
      fileSize: status === 'processing' ? 0 : f.size,
      recordingType: f.recordingType,
      status,
      downloadUrl: `https://zoom.example/rec/download/${encodeURIComponent(f.id)}`,
    };
    meeting.files = [...meeting.files.filter((x) => x.id !== f.id), file];
    if (status !== 'processing') this.content.set(f.id, contentFor(f.id, f.size));
  }

  async listRecordings(window: DateWindow): Promise<ZoomMeeting[]> {
    this.faults.check('listRecordings', 'before', window);
    this.listed.push(window);
    const gone = new Set(this.deleted.map((d) => `${d.meetingUuid}/${d.fileId}`));
    return [...this.meetings.values()]
      .filter((m) => m.startTime.slice(0, 10) >= window.from && m.startTime.slice(0, 10) <= window.to)
      .map((m) => ({ ...m, files: m.files.filter((f) => !gone.has(`${m.uuid}/${f.id}`)).map((f) => ({ ...f })) }))
      .filter((m) => m.files.length > 0);
  }

  async getMeetingRecordings(meetingUuid: string): Promise<ZoomMeeting | null> {
    return this.meetings.get(meetingUuid) ?? null;
  }

  async openDownload(file: ZoomRecordingFile, offset: number, signal?: AbortSignal): Promise<DownloadStream> {
    this.faults.check('openDownload', 'before', file.id);
    this.downloads.push({ fileId: file.id, offset });
    const content = this.content.get(file.id);
    if (!content) throw new PermanentError('file not found', { status: 404, code: '3301', source: 'zoom' });
    const breakAt = this.breakAfter.get(file.id);
    this.breakAfter.delete(file.id);
    const step = this.chunkBytes;
    const end = content.length;
    async function* generate() {
      for (let pos = offset; pos < end; pos += step) {
        if (signal?.aborted) throw signal.reason;
        if (breakAt !== undefined && pos - offset >= breakAt) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        yield content!.subarray(pos, Math.min(end, pos + step));
        await new Promise((r) => setImmediate(r));
      }
    }
    return { stream: Readable.from(generate(), { objectMode: false }), contentLength: end - offset, offset, contentType: 'video/mp4' };
  }

  async downloadAccess(file: ZoomRecordingFile): Promise<{ url: string; headers: string[] }> {
    this.faults.check('downloadAccess', 'before', file.id);
    return { url: file.downloadUrl, headers: ['Authorization: Bearer fake-token'] };
  }

  async deleteRecordingFile(meetingUuid: string, fileId: string, action: 'trash' | 'delete'): Promise<'removed' | 'absent'> {
    this.faults.check('deleteRecordingFile', 'before', fileId);
    // As the adapter: Zoom's 404/3301 for a file already gone resolves as 'absent'.
    if (this.deleted.some((d) => d.meetingUuid === meetingUuid && d.fileId === fileId)) return 'absent';
    this.deleted.push({ meetingUuid, fileId, action });
    this.faults.check('deleteRecordingFile', 'after', fileId);
    return 'removed';
  }

  /** Content a URL import would fetch (url mode). */
  fetchUrl(url: string, headers: string[]): Buffer | undefined {
    if (!headers.some((h) => h.startsWith('Authorization: Bearer '))) return undefined;
    const id = decodeURIComponent(url.split('/').pop() ?? '');
    return this.content.get(id);
  }

  async getUser(): Promise<ZoomUser | null> {
    return null;
  }
  async getMeetingDetails(): Promise<ZoomMeetingDetails | null> {
    return null;
  }
  async listParticipantEmails(): Promise<string[]> {
    return [];
  }
  async listCohostEmails(): Promise<string[]> {
    return [];
  }
  async listUsers(): Promise<ZoomUser[]> {
    return [];
  }
}

export const retryable = (msg = 'temporary failure', extra: { retryAfterMs?: number; code?: string } = {}) => () =>
  new RetryableError(msg, { code: extra.code ?? 'TEMP', status: 503, source: 'fake', retryAfterMs: extra.retryAfterMs });
