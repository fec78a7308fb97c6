/**
 * The one in-memory RecordingSource for tests, behaving like Zoom and like the
 * real adapter (src/zoom/source.ts): account-wide listing by UTC window,
 * processing files with size 0, Range downloads, trash, users, meeting details,
 * participants and co-hosts, a withheld scope as FatalError ZOOM_4711, and
 * scripted faults (including a stream that breaks mid-download). Every call is
 * logged as { method, args } (see Recorder).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { FatalError, PermanentError, RetryableError } from '../../src/errors.js';
import type {
  DateWindow, DownloadStream, RecordingSource, ZoomMeeting, ZoomMeetingDetails, ZoomRecordingFile, ZoomUser,
} from '../../src/ingest/ports.js';
import { Recorder } from './recorder.js';

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

/** Which capability each method exercises, named like the Zoom scope that guards it. */
const METHOD_SCOPE: Record<string, string> = {
  listRecordings: 'cloud_recording:read:list_account_recordings:admin',
  openDownload: 'cloud_recording:read:recording:admin',
  listUsers: 'user:read:list_users:admin',
  getUser: 'user:read:user:admin',
  getMeetingDetails: 'meeting:read:meeting:admin',
  listParticipantEmails: 'report:read:list_meeting_participants:admin',
  listCohostEmails: 'dashboard:read:list_meeting_participants:admin',
};

export interface FakeZoomOptions {
  account?: string;
  /** Meetings Zoom holds from the start (more with addMeeting). */
  meetings?: ZoomMeeting[];
  users?: ZoomUser[];
  /** Scopes the app lacks: methods they guard throw FatalError ZOOM_4711, as the adapter does. */
  withheldScopes?: string[];
  /** Throw this from every call (e.g. rejected credentials). */
  failAll?: Error;
  /** When set, the fake offers grantedScopes() (the optional ScopeIntrospection capability). */
  grantedScopes?: string[];
  /**
   * getMeetingDetails of a meeting Zoom does not know: 'null' as the adapter answers Zoom's 404
   * (the default), or 'error' to throw the PermanentError ZOOM_3001 an adapter without that mapping would.
   */
  unknownMeeting?: 'null' | 'error';
  /** Port methods the test may call; any other throws. */
  only?: readonly string[];
}

export class FakeZoom extends Recorder implements RecordingSource {
  readonly account: string;
  readonly meetings = new Map<string, ZoomMeeting>();
  readonly content = new Map<string, Buffer>();
  readonly deleted: Array<{ meetingUuid: string; fileId: string; action: string }> = [];
  /** Every stream handed out, with what was asked for. */
  readonly downloads: Array<{ fileId: string; offset: number; stream: Readable }> = [];
  /** Zoom users by lower-case id and by lower-case email. */
  readonly users = new Map<string, ZoomUser>();
  /** Meeting details by numeric id; a meeting Zoom holds without an entry here has no alternative hosts or tracking fields. */
  readonly details = new Map<number, ZoomMeetingDetails>();
  /** Co-host and participant emails by instance UUID (or webinar id). */
  readonly cohosts = new Map<string, string[]>();
  readonly participants = new Map<string, string[]>();
  /** Break the next download of a file after this many bytes (once). */
  breakAfter = new Map<string, number>();
  /** Bytes per stream piece. */
  chunkBytes = 64 * 1024;
  grantedScopes?: () => Promise<string[]>;

  constructor(private readonly opts: FakeZoomOptions = {}) {
    super(opts.only);
    this.account = opts.account ?? 'main';
    for (const m of opts.meetings ?? []) this.meetings.set(m.uuid, m);
    for (const u of opts.users ?? []) this.addUser(u);
    if (opts.failAll) this.faults.always('*', opts.failAll);
    if (opts.grantedScopes) {
      const scopes = opts.grantedScopes;
      this.grantedScopes = async () => {
        this.enter('grantedScopes', []);
        return scopes;
      };
    }
  }

  /** As Recorder.enter, then the scope gate. */
  private gate(method: string, args: unknown[], faultArg?: unknown): void {
    this.enter(method, args, faultArg ?? args[0]);
    const scope = METHOD_SCOPE[method];
    if (scope && (this.opts.withheldScopes ?? []).includes(scope)) {
      throw new FatalError(`Invalid access token, does not contain scopes:[${scope}]`, { code: 'ZOOM_4711', status: 400, source: 'zoom' });
    }
  }

  addUser(user: ZoomUser): void {
    if (user.id) this.users.set(user.id.toLowerCase(), user);
    this.users.set(user.email.toLowerCase(), user);
  }

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

  /** A file's bytes: set by setFile, or made on first use for a completed file of a meeting given whole. */
  private bytesOf(fileId: string): Buffer | undefined {
    const known = this.content.get(fileId);
    if (known) return known;
    for (const m of this.meetings.values()) {
      const f = m.files.find((x) => x.id === fileId && x.status === 'completed');
      if (f) {
        const made = contentFor(f.id, f.fileSize);
        this.content.set(f.id, made);
        return made;
      }
    }
    return undefined;
  }

  async listRecordings(window: DateWindow): Promise<ZoomMeeting[]> {
    this.gate('listRecordings', [window]);
    const gone = new Set(this.deleted.map((d) => `${d.meetingUuid}/${d.fileId}`));
    return [...this.meetings.values()]
      .filter((m) => m.startTime.slice(0, 10) >= window.from && m.startTime.slice(0, 10) <= window.to)
      .map((m) => ({ ...m, files: m.files.filter((f) => !gone.has(`${m.uuid}/${f.id}`)).map((f) => ({ ...f })) }))
      .filter((m) => m.files.length > 0);
  }

  async getMeetingRecordings(meetingUuid: string): Promise<ZoomMeeting | null> {
    this.gate('getMeetingRecordings', [meetingUuid]);
    return this.meetings.get(meetingUuid) ?? null;
  }

  async openDownload(file: ZoomRecordingFile, offset: number, signal?: AbortSignal): Promise<DownloadStream> {
    this.gate('openDownload', [file, offset], file.id);
    const content = this.bytesOf(file.id);
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
    const stream = Readable.from(generate(), { objectMode: false });
    this.downloads.push({ fileId: file.id, offset, stream });
    return { stream, contentLength: end - offset, offset, contentType: 'video/mp4' };
  }

  async downloadAccess(file: ZoomRecordingFile): Promise<{ url: string; headers: string[] }> {
    this.gate('downloadAccess', [file], file.id);
    return { url: file.downloadUrl, headers: ['Authorization: Bearer fake-token'] };
  }

  async deleteRecordingFile(meetingUuid: string, fileId: string, action: 'trash' | 'delete'): Promise<'removed' | 'absent'> {
    this.gate('deleteRecordingFile', [meetingUuid, fileId, action], fileId);
    // As the adapter: Zoom's 404/3301 for a file already gone resolves as 'absent'.
    if (this.deleted.some((d) => d.meetingUuid === meetingUuid && d.fileId === fileId)) return 'absent';
    this.deleted.push({ meetingUuid, fileId, action });
    this.leave('deleteRecordingFile', fileId);
    return 'removed';
  }

  /** Content a URL import would fetch (url mode). */
  fetchUrl(url: string, headers: string[]): Buffer | undefined {
    if (!headers.some((h) => h.startsWith('Authorization: Bearer '))) return undefined;
    const id = decodeURIComponent(url.split('/').pop() ?? '');
    return this.content.get(id);
  }

  async getUser(userIdOrEmail: string): Promise<ZoomUser | null> {
    this.gate('getUser', [userIdOrEmail]);
    return this.users.get(userIdOrEmail.toLowerCase()) ?? null;
  }

  async getMeetingDetails(meetingId: number, isWebinar: boolean): Promise<ZoomMeetingDetails | null> {
    this.gate('getMeetingDetails', [meetingId, isWebinar]);
    const set = this.details.get(meetingId);
    if (set) return set;
    if ([...this.meetings.values()].some((m) => m.id === meetingId)) return { id: meetingId, alternativeHosts: [], trackingFields: {} };
    if (this.opts.unknownMeeting === 'error') throw new PermanentError('Meeting does not exist', { code: 'ZOOM_3001', status: 404, source: 'zoom' });
    return null;
  }

  async listParticipantEmails(meetingUuidOrId: string, isWebinar: boolean): Promise<string[]> {
    this.gate('listParticipantEmails', [meetingUuidOrId, isWebinar]);
    return [...(this.participants.get(meetingUuidOrId) ?? [])];
  }

  async listCohostEmails(meetingUuidOrId: string, isWebinar: boolean): Promise<string[]> {
    this.gate('listCohostEmails', [meetingUuidOrId, isWebinar]);
    return [...(this.cohosts.get(meetingUuidOrId) ?? [])];
  }

  async listUsers(status: 'active' | 'inactive' | 'pending'): Promise<ZoomUser[]> {
    this.gate('listUsers', [status]);
    return [...new Set(this.users.values())].filter((u) => u.status === status);
  }
}

/** A ZoomMeeting (uuid `uuid-<id>==`) with one completed MP4 per given override, for `new FakeZoom({ meetings })`. */
export function meeting(id: number, startTime: string, files: Array<Partial<ZoomRecordingFile>> = [{}], type = 2): ZoomMeeting {
  const uuid = `uuid-${id}==`;
  return {
    uuid,
    id,
    hostId: 'host-1',
    hostEmail: 'host@example.edu',
    topic: `Meeting ${id}`,
    type,
    startTime,
    durationMin: 30,
    files: files.map((f, i) => ({
      id: `file-${id}-${i}`,
      meetingUuid: uuid,
      recordingStart: startTime,
      recordingEnd: startTime,
      fileType: 'MP4',
      fileExtension: 'MP4',
      fileSize: 1000,
      recordingType: 'shared_screen_with_speaker_view',
      status: 'completed',
      downloadUrl: `https://zoom.example/rec/download/${id}/${i}`,
      ...f,
    })),
  };
}

export const retryable = (msg = 'temporary failure', extra: { retryAfterMs?: number; code?: string } = {}) => () =>
  new RetryableError(msg, { code: extra.code ?? 'TEMP', status: 503, source: 'fake', retryAfterMs: extra.retryAfterMs });
