/** JSON shapes the sandbox answers with (recordings, users, participants; divergences from [spec23] in DIVERGENCES.md). */
import type { ZoomContext } from './context.js';
import type { FileRecord, MeetingRecord } from './store.js';
import type { ZoomSeedUser } from './seed-types.js';

export function isProcessing(f: FileRecord, now: number): boolean {
  return f.completesAt !== undefined && now < f.completesAt;
}

const TEXT_TYPES = new Set(['TRANSCRIPT', 'CC', 'CHAT']);

export function isTextFile(f: Pick<FileRecord, 'fileType'>): boolean {
  return TEXT_TYPES.has(f.fileType.toUpperCase());
}

/** file_size as listed: Zoom's size of a text file can differ from the bytes it serves (textSizeSkew). */
function listedSize(ctx: ZoomContext, f: FileRecord): number {
  const skew = ctx.faults.current.textSizeSkew ?? 0;
  return isTextFile(f) ? Math.max(1, f.fileSize + skew) : f.fileSize;
}

export function fileView(ctx: ZoomContext, f: FileRecord, opts: { trash?: boolean } = {}): Record<string, unknown> {
  const now = ctx.now();
  const processing = isProcessing(f, now);
  const blank = processing && f.blankTypeWhileProcessing;
  const download_url = `${ctx.url}/rec/download/${f.downloadKey}`;
  if (f.specShape) {
    // [spec23]'s CC/TIMELINE shape: no id, status, file_size, recording_type or play_url.
    return {
      meeting_id: f.meetingUuid,
      recording_start: f.recordingStart,
      recording_end: processing ? '' : f.recordingEnd,
      file_type: blank ? '' : f.fileType,
      file_extension: blank ? '' : f.fileExtension,
      download_url,
      ...(opts.trash && f.deletedTime ? { deleted_time: f.deletedTime } : {}),
    };
  }
  return {
    ...(f.omitId ? {} : { id: f.id }),
    meeting_id: f.meetingUuid,
    recording_start: f.recordingStart,
    recording_end: processing ? '' : f.recordingEnd,
    file_type: blank ? '' : f.fileType,
    file_extension: blank ? '' : f.fileExtension,
    file_size: processing ? 0 : listedSize(ctx, f),
    play_url: `${ctx.url}/rec/play/${f.downloadKey}`,
    download_url,
    status: processing ? 'processing' : 'completed',
    recording_type: f.recordingType,
    ...(opts.trash && f.deletedTime ? { deleted_time: f.deletedTime } : {}),
  };
}

export function meetingView(ctx: ZoomContext, m: MeetingRecord, files: FileRecord[], opts: { trash?: boolean } = {}): Record<string, unknown> {
  const now = ctx.now();
  return {
    uuid: m.uuid,
    id: m.id,
    account_id: m.accountId,
    host_id: m.hostId,
    host_email: m.hostEmail,
    topic: m.topic,
    type: m.type,
    start_time: m.startTime,
    timezone: m.timezone ?? 'UTC',
    duration: m.durationMin,
    total_size: files.reduce((s, f) => s + (isProcessing(f, now) ? 0 : f.fileSize), 0),
    recording_count: files.length,
    share_url: `${ctx.url}/rec/share/${encodeURIComponent(m.uuid)}`,
    recording_files: files.map((f) => fileView(ctx, f, opts)),
  };
}

function splitName(u: ZoomSeedUser): { first: string; last: string } {
  const local = u.email.split('@')[0] ?? '';
  const first = u.firstName ?? (local ? local[0].toUpperCase() + local.slice(1) : '');
  return { first, last: u.lastName ?? 'Example' };
}

export function userView(u: ZoomSeedUser): Record<string, unknown> {
  const { first, last } = splitName(u);
  return {
    ...(u.id !== undefined ? { id: u.id } : {}),
    first_name: first,
    last_name: last,
    display_name: `${first} ${last}`.trim(),
    email: u.email,
    type: u.type,
    pmi: 1_000_000_000 + (hashCode(u.email) % 899_999_999),
    timezone: u.timezone ?? 'America/New_York',
    verified: 1,
    dept: '',
    created_at: '2020-01-06T15:00:00Z',
    user_created_at: '2020-01-06T15:00:00Z',
    ...(u.lastLoginTime ? { last_login_time: u.lastLoginTime } : {}),
    ...(u.lastClientVersion ? { last_client_version: u.lastClientVersion } : {}),
    language: 'en-US',
    status: u.status,
    role_id: '2',
    group_ids: [],
    im_group_ids: [],
  };
}

export function userDetailView(u: ZoomSeedUser, accountId: string): Record<string, unknown> {
  return {
    ...userView(u),
    account_id: accountId,
    account_number: 10_000_000 + (hashCode(accountId) % 89_999_999),
    role_name: 'Member',
    cluster: 'us06',
    login_types: [100],
    phone_numbers: [],
    ...(u.cmsUserId !== undefined ? { cms_user_id: u.cmsUserId } : {}),
  };
}

export function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}
