/** Cloud recording endpoints: list (account, user, trash), get, delete/trash, recover. */
import { type ApiRequest, type ApiResult, type ZoomContext, ZoomApiError, iso, noRecording } from './context.js';
import { paginate, queryKeyOf } from './paging.js';
import type { FileRecord, MeetingRecord } from './store.js';
import { isProcessing, meetingView } from './views.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function todayUtc(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

function validDate(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

/** Zoom clamps a range longer than a month silently: from becomes to − 1 month. */
export function effectiveWindow(query: URLSearchParams, now: number): { from: string; to: string } {
  const today = todayUtc(now);
  const fromQ = query.get('from') || undefined;
  const toQ = query.get('to') || undefined;
  for (const [name, v] of [['from', fromQ], ['to', toQ]] as const) {
    if (v !== undefined && !validDate(v)) throw new ZoomApiError(400, 300, `Invalid field: ${name}.`);
  }
  const to = toQ ?? today;
  let from = fromQ ?? to;
  if (from > to) throw new ZoomApiError(400, 300, 'The from date must be before the to date.');
  const limit = new Date(`${to}T00:00:00Z`);
  limit.setUTCMonth(limit.getUTCMonth() - 1);
  const minFrom = limit.toISOString().slice(0, 10);
  if (from < minFrom) from = minFrom;
  return { from, to };
}

const liveFiles = (m: MeetingRecord) => m.files.filter((f) => f.state === 'live');
const trashedFiles = (m: MeetingRecord) => m.files.filter((f) => f.state === 'trashed');

function listRecordings(ctx: ZoomContext, req: ApiRequest, route: string, hostId: string | undefined): ApiResult {
  const now = ctx.now();
  const trash = req.query.get('trash') === 'true';
  const { from, to } = effectiveWindow(req.query, now);
  const meetingFilter = req.query.get('meeting_id');
  let meetings: Array<{ m: MeetingRecord; files: FileRecord[] }>;
  if (trash) {
    // from/to are ignored for trash listings.
    meetings = [...ctx.store.mustAccount(req.accountId).meetings.values()]
      .sort((a, b) => (a.startTime < b.startTime ? -1 : 1))
      .map((m) => ({ m, files: trashedFiles(m) }));
  } else {
    meetings = ctx.store.meetingsInRange(req.accountId, from, to).map((m) => ({ m, files: liveFiles(m) }));
  }
  meetings = meetings.filter(
    ({ m, files }) => files.length > 0 && (hostId === undefined || m.hostId === hostId) && (!meetingFilter || String(m.id) === meetingFilter),
  );
  const page = paginate(meetings, req.query, {
    pages: ctx.pages,
    accountId: req.accountId,
    queryKey: queryKeyOf(route, req.query, `${from}..${to}:${hostId ?? ''}`),
    now,
    ttlSec: ctx.faults.current.pageTokenTtlSec ?? 900,
  });
  return {
    status: 200,
    body: {
      from,
      to,
      page_count: page.pageCount,
      page_size: page.pageSize,
      total_records: page.total,
      next_page_token: page.nextPageToken,
      meetings: page.items.map(({ m, files }) => meetingView(ctx, m, files, { trash })),
    },
  };
}

export function listAccountRecordings(ctx: ZoomContext, req: ApiRequest): ApiResult {
  return listRecordings(ctx, req, 'account', undefined);
}

export function listUserRecordings(ctx: ZoomContext, req: ApiRequest, userParam: string): ApiResult {
  const user = resolveUser(ctx, req.accountId, userParam);
  return listRecordings(ctx, req, 'user', user.id ?? `pending:${user.email}`);
}

export function resolveUser(ctx: ZoomContext, accountId: string, param: string) {
  const key = decodeURIComponent(param);
  // S2S has no user of its own: "me" is the account owner, the first user seeded.
  const user = key === 'me' ? ctx.store.mustAccount(accountId).users[0] : ctx.store.findUser(accountId, key);
  if (!user) throw new ZoomApiError(404, 1001, `User does not exist: ${key}.`);
  return user;
}

/**
 * Meeting path parameter: decode once; if the result still holds %2F or %25 it
 * was double-encoded, so decode again. A UUID that starts with '/' or holds
 * '//' but arrived single-encoded is not found (as Zoom answers in practice).
 */
export function decodeMeetingParam(raw: string): string {
  let once: string;
  try {
    once = decodeURIComponent(raw);
  } catch {
    throw noRecording();
  }
  if (/%2F|%25/i.test(once)) {
    try {
      return decodeURIComponent(once);
    } catch {
      throw noRecording();
    }
  }
  if (once.startsWith('/') || once.includes('//')) throw noRecording();
  return once;
}

/** Zoom documents no default ttl; the sandbox uses one day when it is omitted. */
const DEFAULT_DOWNLOAD_TTL_SEC = 86_400;

export function getMeetingRecordings(ctx: ZoomContext, req: ApiRequest, rawId: string): ApiResult {
  const id = decodeMeetingParam(rawId);
  const m = ctx.store.resolveMeeting(req.accountId, id, (x) => liveFiles(x).length > 0);
  if (!m) throw noRecording();
  const body: Record<string, unknown> = { ...meetingView(ctx, m, liveFiles(m)), recording_play_passcode: 'sbxpasscode' };
  const fields = (req.query.get('include_fields') ?? '').split(',').map((s) => s.trim());
  if (fields.includes('download_access_token')) {
    const ttlText = req.query.get('ttl');
    const ttl = ttlText === null || ttlText === '' ? DEFAULT_DOWNLOAD_TTL_SEC : Number(ttlText);
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 604_800) throw new ZoomApiError(400, 300, 'Invalid field: ttl.');
    body.download_access_token = ctx.tokens.issueDownload(req.accountId, m.uuid, ctx.now(), ttl);
  }
  return { status: 200, body };
}

function actionOf(req: ApiRequest): 'trash' | 'delete' {
  const a = req.query.get('action') ?? 'trash';
  if (a !== 'trash' && a !== 'delete') throw new ZoomApiError(400, 300, `Invalid field: action.`);
  return a;
}

function applyDelete(ctx: ZoomContext, f: FileRecord, action: 'trash' | 'delete'): void {
  if (isProcessing(f, ctx.now())) throw new ZoomApiError(400, 3303, 'You can not delete an uncompleted meeting.');
  f.state = action === 'delete' ? 'deleted' : 'trashed';
  f.deletedTime = iso(ctx.now());
}

export function deleteMeetingRecordings(ctx: ZoomContext, req: ApiRequest, rawId: string): ApiResult {
  const action = actionOf(req);
  const id = decodeMeetingParam(rawId);
  const m = ctx.store.resolveMeeting(req.accountId, id, (x) => x.files.some((f) => f.state === 'live' || (action === 'delete' && f.state === 'trashed')));
  if (!m) throw noRecording();
  const targets = m.files.filter((f) => f.state === 'live' || (action === 'delete' && f.state === 'trashed'));
  if (targets.some((f) => isProcessing(f, ctx.now()))) throw new ZoomApiError(400, 3303, 'You can not delete an uncompleted meeting.');
  for (const f of targets) applyDelete(ctx, f, action);
  return { status: 204 };
}

function findFile(ctx: ZoomContext, req: ApiRequest, rawId: string, rawFileId: string): FileRecord {
  const id = decodeMeetingParam(rawId);
  const fileId = decodeURIComponent(rawFileId);
  const m = ctx.store.resolveMeeting(req.accountId, id, (x) => x.files.some((f) => f.id === fileId && f.state !== 'deleted'));
  const f = m?.files.find((x) => x.id === fileId && x.state !== 'deleted');
  if (!f) throw noRecording();
  return f;
}

export function deleteRecordingFile(ctx: ZoomContext, req: ApiRequest, rawId: string, rawFileId: string): ApiResult {
  const logged = { meeting: safeDecode(rawId), fileId: safeDecode(rawFileId), action: req.query.get('action') ?? '', at: ctx.now(), status: 204 };
  ctx.store.fileDeletes.push(logged);
  try {
    const action = actionOf(req);
    const f = findFile(ctx, req, rawId, rawFileId);
    // A file already in the trash cannot be trashed again: 404/3301, and its deleted_time stays (as real Zoom does).
    if (action === 'trash' && f.state === 'trashed') throw noRecording();
    applyDelete(ctx, f, action);
  } catch (err) {
    logged.status = err instanceof ZoomApiError ? err.status : 500;
    throw err;
  }
  return { status: 204 };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function recoverAction(req: ApiRequest): void {
  const body = req.body as { action?: unknown } | undefined;
  if (!body || body.action !== 'recover') throw new ZoomApiError(400, 300, 'Invalid field: action.');
}

export function recoverMeeting(ctx: ZoomContext, req: ApiRequest, rawId: string): ApiResult {
  recoverAction(req);
  const id = decodeMeetingParam(rawId);
  const m = ctx.store.resolveMeeting(req.accountId, id, (x) => trashedFiles(x).length > 0);
  if (!m) throw noRecording();
  for (const f of trashedFiles(m)) {
    f.state = 'live';
    f.deletedTime = undefined;
  }
  return { status: 204 };
}

export function recoverFile(ctx: ZoomContext, req: ApiRequest, rawId: string, rawFileId: string): ApiResult {
  recoverAction(req);
  const f = findFile(ctx, req, rawId, rawFileId);
  if (f.state !== 'trashed') throw noRecording();
  f.state = 'live';
  f.deletedTime = undefined;
  return { status: 204 };
}
