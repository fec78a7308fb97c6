/**
 * In-memory fakes of the ports, for the operator logic tests. They throw the
 * same error classes the real adapters do (FatalError 'ZOOM_4711' for a
 * withheld scope). The sandbox tests exercise the real adapters over HTTP.
 */
import { Readable } from 'node:stream';
import { FatalError, PermanentError } from '../../src/errors.js';
import type {
  DateWindow,
  DownloadStream,
  KalturaCategory,
  KalturaUser,
  MediaSink,
  RecordingSource,
  ZoomMeeting,
  ZoomMeetingDetails,
  ZoomRecordingFile,
  ZoomUser,
} from '../../src/ingest/ports.js';

/** Which capability each fake method exercises, named like the scope that guards it. */
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
  meetings?: ZoomMeeting[];
  users?: ZoomUser[];
  withheldScopes?: string[];
  /** Throw this from every call (e.g. rejected credentials). */
  failAll?: Error;
  /** When set, the fake offers grantedScopes() (the optional ScopeIntrospection capability). */
  grantedScopes?: string[];
}

export class FakeZoomSource implements RecordingSource {
  readonly account: string;
  readonly calls: string[] = [];
  readonly downloads: Readable[] = [];
  grantedScopes?: () => Promise<string[]>;

  constructor(private readonly opts: FakeZoomOptions = {}) {
    this.account = opts.account ?? 'main';
    if (opts.grantedScopes) {
      const scopes = opts.grantedScopes;
      this.grantedScopes = async () => {
        if (opts.failAll) throw opts.failAll;
        return scopes;
      };
    }
  }

  private gate(method: string): void {
    this.calls.push(method);
    if (this.opts.failAll) throw this.opts.failAll;
    const scope = METHOD_SCOPE[method];
    if (scope && (this.opts.withheldScopes ?? []).includes(scope)) {
      throw new FatalError(`Invalid access token, does not contain scopes:[${scope}]`, { code: 'ZOOM_4711', status: 400, source: 'zoom' });
    }
  }

  async listRecordings(window: DateWindow): Promise<ZoomMeeting[]> {
    this.gate('listRecordings');
    return (this.opts.meetings ?? []).filter((m) => m.startTime.slice(0, 10) >= window.from && m.startTime.slice(0, 10) <= window.to);
  }
  async getMeetingRecordings(): Promise<ZoomMeeting | null> {
    throw new Error('not used');
  }
  async openDownload(file: ZoomRecordingFile, offset: number): Promise<DownloadStream> {
    this.gate('openDownload');
    const stream = Readable.from([Buffer.alloc(file.fileSize, 7)]);
    this.downloads.push(stream);
    return { stream, contentLength: file.fileSize, offset, contentType: 'video/mp4' };
  }
  async downloadAccess(): Promise<{ url: string; headers: string[] }> {
    throw new Error('not used');
  }
  async deleteRecordingFile(): Promise<'removed' | 'absent'> {
    throw new Error('accounts test must never delete');
  }
  async getUser(idOrEmail: string): Promise<ZoomUser | null> {
    this.gate('getUser');
    return (this.opts.users ?? []).find((u) => u.id === idOrEmail || u.email === idOrEmail) ?? null;
  }
  async getMeetingDetails(meetingId: number): Promise<ZoomMeetingDetails | null> {
    this.gate('getMeetingDetails');
    if (!(this.opts.meetings ?? []).some((m) => m.id === meetingId)) throw new PermanentError('Meeting does not exist', { code: 'ZOOM_3001', status: 404, source: 'zoom' });
    return { id: meetingId, alternativeHosts: [], trackingFields: {} };
  }
  async listParticipantEmails(): Promise<string[]> {
    this.gate('listParticipantEmails');
    return ['a@example.edu', 'b@example.edu'];
  }
  async listCohostEmails(): Promise<string[]> {
    this.gate('listCohostEmails');
    return [];
  }
  async listUsers(status: 'active' | 'inactive' | 'pending'): Promise<ZoomUser[]> {
    this.gate('listUsers');
    this.calls.push(`listUsers:${status}`);
    return (this.opts.users ?? []).filter((u) => u.status === status);
  }
}

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

export interface FakeKalturaOptions {
  users?: KalturaUser[];
  categories?: KalturaCategory[];
  failSession?: Error;
}

export class FakeKalturaSink implements Partial<MediaSink> {
  constructor(private readonly opts: FakeKalturaOptions = {}) {}
  async getUser(userId: string): Promise<KalturaUser | null> {
    if (this.opts.failSession) throw this.opts.failSession;
    return (this.opts.users ?? []).find((u) => u.id === userId) ?? null;
  }
  async findCategoryByFullName(fullName: string): Promise<KalturaCategory | null> {
    return (this.opts.categories ?? []).find((c) => c.fullName === fullName) ?? null;
  }
  async findCategoryByName(name: string): Promise<KalturaCategory | null> {
    return (this.opts.categories ?? []).find((c) => c.fullName.split('>').pop() === name) ?? null;
  }
}

/** The fake implements only what accounts test may call; anything else would throw a TypeError. */
export function asSink(fake: FakeKalturaSink): MediaSink {
  return fake as unknown as MediaSink;
}
