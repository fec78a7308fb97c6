/** Users, meeting/webinar details, participants, co-hosts and panelists. */
import { type ApiRequest, type ApiResult, type ZoomContext, ZoomApiError } from './context.js';
import { paginate, queryKeyOf } from './paging.js';
import { decodeMeetingParam, resolveUser } from './routes-recordings.js';
import type { MeetingRecord } from './store.js';
import { userDetailView, userView, hashCode } from './views.js';

// Zoom's own rule, written here on purpose rather than imported from zk
// (src/ingest/policy/is-webinar.ts): the emulator stands for Zoom, so a wrong
// list in zk must disagree with it and fail a test, not be copied into it.
const WEBINAR_TYPES = new Set([5, 6, 9]);

export function listUsers(ctx: ZoomContext, req: ApiRequest): ApiResult {
  const status = req.query.get('status') ?? 'active';
  if (!['active', 'inactive', 'pending'].includes(status)) throw new ZoomApiError(400, 300, 'Invalid field: status.');
  // A seeded user without an email exists only for GET /users/{id} (the answer Kaltura's integration guards
  // against, SUP-31863); the list schema requires an email, so the list never shows one (DIVERGENCES.md).
  const users = ctx.store.mustAccount(req.accountId).users.filter((u) => u.status === status && u.email !== '');
  const page = paginate(users, req.query, {
    pages: ctx.pages,
    accountId: req.accountId,
    queryKey: queryKeyOf('users', req.query, status),
    now: ctx.now(),
    ttlSec: ctx.faults.current.pageTokenTtlSec ?? 900,
  });
  return {
    status: 200,
    body: {
      page_count: page.pageCount,
      page_number: 1,
      page_size: page.pageSize,
      total_records: page.total,
      next_page_token: page.nextPageToken,
      users: page.items.map(userView),
    },
  };
}

/** Counts active users by licence type; pending users separately. */
export function usersSummary(ctx: ZoomContext, req: ApiRequest): ApiResult {
  const users = ctx.store.mustAccount(req.accountId).users;
  const active = users.filter((u) => u.status === 'active');
  const count = (pred: (t: number) => boolean) => active.filter((u) => pred(u.type)).length;
  const licensed = count((t) => t === 2);
  const basic = count((t) => t === 1);
  const onPrem = count((t) => t === 3);
  const joinOnly = count((t) => t === 4 || t === 99);
  return {
    status: 200,
    body: {
      licensed_users_count: licensed,
      basic_users_count: basic,
      on_prem_users_count: onPrem,
      room_users_count: 0,
      pending_users_count: users.filter((u) => u.status === 'pending').length,
      join_only_users_count: joinOnly,
      total_users_count: licensed + basic + onPrem + joinOnly,
    },
  };
}

export function getUser(ctx: ZoomContext, req: ApiRequest, param: string): ApiResult {
  return { status: 200, body: userDetailView(resolveUser(ctx, req.accountId, param), req.accountId) };
}

/** Latest instance for a numeric id, that instance for a UUID; 404/3001 otherwise. */
function findInstance(ctx: ZoomContext, req: ApiRequest, raw: string, webinar: boolean): MeetingRecord {
  const what = webinar ? 'Webinar' : 'Meeting';
  let key: string;
  try {
    key = decodeMeetingParam(raw);
  } catch {
    throw new ZoomApiError(404, 3001, `${what} does not exist: ${raw}.`);
  }
  const m = /^\d+$/.test(key) ? ctx.store.latestInstance(req.accountId, Number(key)) : ctx.store.mustAccount(req.accountId).meetings.get(key);
  if (!m || WEBINAR_TYPES.has(m.type) !== webinar) throw new ZoomApiError(404, 3001, `${what} does not exist: ${key}.`);
  return m;
}

/** Fields GET /meetings/{id} and GET /webinars/{id} share. */
function detailsCommon(ctx: ZoomContext, m: MeetingRecord): Record<string, unknown> {
  return {
    uuid: m.uuid,
    id: m.id,
    host_id: m.hostId,
    host_email: m.hostEmail,
    topic: m.topic,
    type: m.type,
    start_time: m.startTime,
    duration: m.durationMin,
    timezone: m.timezone ?? 'UTC',
    agenda: '',
    created_at: m.startTime,
  };
}

const trackingFieldsOf = (m: MeetingRecord) => (m.trackingFields ?? []).map((t) => ({ field: t.field, value: t.value, visible: true }));
const alternativeHostsOf = (m: MeetingRecord) => (m.alternativeHosts ?? []).join(';');

/** The meeting schema: assistant_id, status, pre_schedule and meeting-only settings. */
function meetingDetails(ctx: ZoomContext, m: MeetingRecord): Record<string, unknown> {
  return {
    ...detailsCommon(ctx, m),
    assistant_id: '',
    status: 'waiting',
    join_url: `${ctx.url}/j/${m.id}`,
    pre_schedule: false,
    settings: {
      host_video: true,
      participant_video: false,
      join_before_host: false,
      mute_upon_entry: false,
      auto_recording: 'cloud',
      alternative_hosts: alternativeHostsOf(m),
    },
    tracking_fields: trackingFieldsOf(m),
  };
}

/** The webinar schema has none of the meeting-only fields; its video setting is panelists_video. */
function webinarDetails(ctx: ZoomContext, m: MeetingRecord): Record<string, unknown> {
  return {
    ...detailsCommon(ctx, m),
    join_url: `${ctx.url}/w/${m.id}`,
    settings: {
      host_video: true,
      panelists_video: true,
      auto_recording: 'cloud',
      alternative_hosts: alternativeHostsOf(m),
    },
    tracking_fields: trackingFieldsOf(m),
  };
}

export function getMeetingDetails(ctx: ZoomContext, req: ApiRequest, raw: string, webinar: boolean): ApiResult {
  const m = findInstance(ctx, req, raw, webinar);
  return { status: 200, body: webinar ? webinarDetails(ctx, m) : meetingDetails(ctx, m) };
}

function participantId(name: string, email: string): string {
  return `p-${hashCode(`${name}|${email}`).toString(36)}`;
}

function pageOf<T>(ctx: ZoomContext, req: ApiRequest, route: string, all: T[], extra: string) {
  return paginate(all, req.query, {
    pages: ctx.pages,
    accountId: req.accountId,
    queryKey: queryKeyOf(route, req.query, extra),
    now: ctx.now(),
    ttlSec: ctx.faults.current.pageTokenTtlSec ?? 900,
  });
}

export function reportParticipants(ctx: ZoomContext, req: ApiRequest, raw: string): ApiResult {
  const m = findInstance(ctx, req, raw, false);
  const start = Date.parse(m.startTime);
  const all = (m.participants ?? []).map((p, i) => ({
    id: p.userId ?? '',
    user_id: String(16_778_240 + i),
    name: p.name,
    user_email: p.email,
    join_time: new Date(start + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    leave_time: new Date(start + m.durationMin * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    duration: m.durationMin * 60 - i,
    status: 'in_meeting',
    failover: false,
    customer_key: '',
    registrant_id: '',
    bo_mtg_id: '',
  }));
  const page = pageOf(ctx, req, 'report', all, m.uuid);
  return {
    status: 200,
    body: { page_count: page.pageCount, page_size: page.pageSize, total_records: page.total, next_page_token: page.nextPageToken, participants: page.items },
  };
}

export function metricsParticipants(ctx: ZoomContext, req: ApiRequest, raw: string, webinar: boolean): ApiResult {
  const m = findInstance(ctx, req, raw, webinar);
  const start = Date.parse(m.startTime);
  const all = (m.metricsParticipants ?? []).map((p, i) => ({
    id: p.userId ?? participantId(p.name, p.email),
    user_id: String(16_778_240 + i),
    // The webinar schema has neither participant_user_id nor status ([spec23]).
    ...(webinar ? {} : { participant_user_id: p.userId ?? '' }),
    user_name: p.name,
    email: p.email,
    role: p.role ?? 'attendee',
    device: 'Mac',
    ip_address: '127.0.0.1',
    location: 'Boston (US)',
    network_type: 'Wired',
    join_time: new Date(start + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    leave_time: new Date(start + m.durationMin * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    share_application: false,
    share_desktop: false,
    share_whiteboard: false,
    recording: false,
    ...(webinar ? {} : { status: 'in_meeting' }),
    version: '5.17.0',
  }));
  const page = pageOf(ctx, req, webinar ? 'metrics-webinar' : 'metrics', all, m.uuid);
  return {
    status: 200,
    body: { page_count: page.pageCount, page_size: page.pageSize, total_records: page.total, next_page_token: page.nextPageToken, participants: page.items },
  };
}

export function listPanelists(ctx: ZoomContext, req: ApiRequest, raw: string): ApiResult {
  // webinarId is an int64 here (OpenAPI): Zoom answers an instance UUID as it answers an unknown webinar.
  if (!/^\d+$/.test(raw)) throw new ZoomApiError(404, 3001, `Webinar does not exist: ${raw}.`);
  const m = findInstance(ctx, req, raw, true);
  const panelists = (m.panelists ?? []).map((p) => ({
    id: participantId(p.name, p.email),
    email: p.email,
    name: p.name,
    join_url: `${ctx.url}/w/${m.id}?tk=${participantId(p.name, p.email)}`,
  }));
  return { status: 200, body: { total_records: panelists.length, panelists } };
}
