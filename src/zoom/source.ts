/**
 * RecordingSource for one Zoom account (src/ingest/ports.ts). Every list
 * follows every page; an error is never read as "no recordings"; a listing
 * whose page token expired restarts from its first page.
 */
import type { DateWindow, DownloadOptions, DownloadStream, RecordingSource, ZoomMeetingDetails, ZoomRecordingFile, ZoomUser } from '../ingest/ports.js';
import { type Clock, systemClock } from '../util/clock.js';
import { type ApiResponse, type CallOptions, type ZoomCallInfo, ZoomApiClient } from './api-client.js';
import { silentLog, type Log } from '../log/port.js';
import { ZOOM_EXPECTED, ZOOM_FAILURES } from './classify.js';
import { openZoomDownload } from './download.js';
import { normaliseMeeting, normaliseUser, type WireMeeting, type WireUser } from './normalise.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './retry.js';
import { type ZoomCredentials, TokenProvider } from './token.js';
import { encodeMeetingUuid } from './uuid.js';

export interface ZoomSourceOptions {
  /** Config name of the account (logs, metrics). */
  account: string;
  /** e.g. https://api.zoom.us/v2 */
  apiUrl: string;
  /** e.g. https://zoom.us/oauth/token */
  oauthUrl: string;
  credentials: ZoomCredentials;
  clock?: Clock;
  logger?: Log;
  /** Every HTTP exchange with Zoom (API, token, download redirect), for metrics. */
  onCall?: (info: ZoomCallInfo) => void;
  /** Each time this account pauses for rate limiting. */
  onRateLimitWait?: (ms: number) => void;
  /** Retries per call after the first attempt (5xx, 429, network). Default 5. */
  maxRetries?: number;
  /** page_size for listings. Default 300 (Zoom's maximum). */
  pageSize?: number;
  /** Concurrent calls for this account. Default 4. */
  concurrency?: number;
  /** Backoff between retries. Default 500 ms doubling to 30 s. */
  backoff?: BackoffPolicy;
  /** Longest Retry-After waited out inside a call. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Per-request timeout for API calls. Default 60 s. */
  timeoutMs?: number;
  /** How many times a listing restarts after its page token expired. Default 3. */
  maxListingRestarts?: number;
  /**
   * url transfer mode: lifetime (s) of the download_access_token handed to Kaltura, which may queue an
   * import for hours; Zoom allows 0–604800. Default 86400.
   */
  downloadAccessTtlSec?: number;
}

const WEBINAR_PATH = (isWebinar: boolean) => (isWebinar ? 'webinars' : 'meetings');
const MAX_PAGES = 100_000;

function assertWindow(w: DateWindow): void {
  const re = /^\d{4}-\d{2}-\d{2}$/;
  if (!re.test(w.from) || !re.test(w.to) || w.from > w.to) {
    throw ZOOM_FAILURES.badWindow(w.from, w.to);
  }
  // Zoom silently clamps anything longer than a month; callers must split instead.
  const limit = new Date(`${w.to}T00:00:00Z`);
  limit.setUTCMonth(limit.getUTCMonth() - 1);
  if (w.from < limit.toISOString().slice(0, 10)) {
    throw ZOOM_FAILURES.windowTooLong(w.from, w.to);
  }
}


export function createZoomSource(opts: ZoomSourceOptions): RecordingSource {
  const clock = opts.clock ?? systemClock();
  const logger = opts.logger ?? silentLog();
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const maxRetries = opts.maxRetries ?? 5;
  const pageSize = opts.pageSize ?? 300;
  const maxRestarts = opts.maxListingRestarts ?? 3;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
  const tokens = new TokenProvider({
    account: opts.account,
    oauthUrl: opts.oauthUrl,
    credentials: opts.credentials,
    clock,
    backoff,
    maxRetries,
    maxRetryAfterMs,
    onCall: opts.onCall,
  });
  const api = new ZoomApiClient({
    account: opts.account,
    apiUrl: opts.apiUrl,
    tokens,
    clock,
    logger,
    backoff,
    maxRetries,
    concurrency: opts.concurrency ?? 4,
    maxRetryAfterMs,
    timeoutMs: opts.timeoutMs ?? 60_000,
    onCall: opts.onCall,
    onRateLimitWait: opts.onRateLimitWait,
  });

  /**
   * Every item of a paged listing. A 400/300 on a continuation page (token
   * expired) restarts from the first page, at most `maxRestarts` times;
   * never returns a partial list as complete.
   */
  async function collect<T>(
    path: string,
    co: Omit<CallOptions, 'accept'>,
    itemsOf: (body: Record<string, unknown>) => T[],
    keyOf: (t: T) => string,
    /** A first-page answer meaning "nothing here" (e.g. 404/3001 for reports). */
    emptyOn?: (status: number, code: number | undefined) => boolean,
  ): Promise<T[]> {
    for (let restart = 0; restart <= maxRestarts; restart++) {
      const seen = new Map<string, T>();
      let token = '';
      let expired = false;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res: ApiResponse = await api.call('GET', path, {
          ...co,
          query: { ...co.query, page_size: pageSize, ...(token ? { next_page_token: token } : {}) },
          accept: (s, c) => (token !== '' ? ZOOM_EXPECTED.pageTokenExpired(s, c) : (emptyOn?.(s, c) ?? false)),
        });
        if (res.status >= 300 && token === '') return [];
        if (res.status >= 300) {
          expired = true;
          break;
        }
        const body = (res.body ?? {}) as Record<string, unknown>;
        // Pages can overlap when data shifts between calls; keep each item once.
        for (const item of itemsOf(body)) seen.set(keyOf(item), item);
        token = typeof body.next_page_token === 'string' ? body.next_page_token : '';
        if (!token) return [...seen.values()];
      }
      if (!expired) throw ZOOM_FAILURES.tooManyPages(co.endpoint, MAX_PAGES);
      logger.info('zoom page token expired, restarting listing', { account: opts.account, endpoint: co.endpoint, restart: restart + 1 });
    }
    throw ZOOM_FAILURES.pageTokenKeptExpiring(co.endpoint);
  }

  const source: RecordingSource = {
    account: opts.account,

    async listRecordings(window, signal) {
      assertWindow(window);
      const wire = await collect<WireMeeting>(
        '/accounts/me/recordings',
        { endpoint: 'GET /accounts/me/recordings', query: { from: window.from, to: window.to }, signal },
        (b) => (Array.isArray(b.meetings) ? (b.meetings as WireMeeting[]) : []),
        (m) => m.uuid,
      );
      return wire.map(normaliseMeeting);
    },

    async getMeetingRecordings(meetingUuid, signal) {
      const res = await api.call('GET', `/meetings/${encodeMeetingUuid(meetingUuid)}/recordings`, {
        endpoint: 'GET /meetings/{meetingId}/recordings',
        signal,
        accept: ZOOM_EXPECTED.noRecording,
      });
      if (res.status === 404) return null;
      return normaliseMeeting(res.body as WireMeeting);
    },

    openDownload(file: ZoomRecordingFile, offset: number, signal?: AbortSignal, dl?: DownloadOptions): Promise<DownloadStream> {
      return openZoomDownload({ api, tokens, clock, backoff, maxRetries, maxRetryAfterMs, account: opts.account, onCall: opts.onCall }, file, offset, signal, dl);
    },

    async downloadAccess(file) {
      // A token minted for this meeting with a chosen ttl, not the cached API token (which may have
      // minutes left when Kaltura's queued import finally runs). It goes only in a header.
      const ttl = Math.max(0, Math.min(604_800, Math.round(opts.downloadAccessTtlSec ?? 86_400)));
      const res = await api.call('GET', `/meetings/${encodeMeetingUuid(file.meetingUuid)}/recordings`, {
        endpoint: 'GET /meetings/{meetingId}/recordings',
        query: { include_fields: 'download_access_token', ttl: String(ttl) },
        accept: (s, c) => s === 404 && c === 3301,
      });
      if (res.status === 404) {
        throw ZOOM_FAILURES.recordingGone(file.meetingUuid, file.id);
      }
      const token = (res.body as { download_access_token?: unknown }).download_access_token;
      if (typeof token !== 'string' || token === '') {
        throw ZOOM_FAILURES.noDownloadAccessToken();
      }
      return { url: file.downloadUrl, headers: [`Authorization: Bearer ${token}`] };
    },

    async deleteRecordingFile(meetingUuid, fileId, action) {
      // 404/3301 resolves: the file is already gone (trashed or deleted elsewhere); the caller records it as such.
      const res = await api.call('DELETE', `/meetings/${encodeMeetingUuid(meetingUuid)}/recordings/${encodeURIComponent(fileId)}`, {
        endpoint: 'DELETE /meetings/{meetingId}/recordings/{recordingId}',
        query: { action },
        accept: ZOOM_EXPECTED.noRecording,
      });
      return res.status === 404 ? 'absent' : 'removed';
    },

    async getUser(userIdOrEmail) {
      const res = await api.call('GET', `/users/${encodeURIComponent(userIdOrEmail)}`, {
        endpoint: 'GET /users/{userId}',
        accept: ZOOM_EXPECTED.noUser,
      });
      return res.status === 404 ? null : normaliseUser(res.body as WireUser);
    },

    async getMeetingDetails(meetingId, isWebinar): Promise<ZoomMeetingDetails | null> {
      const kind = WEBINAR_PATH(isWebinar);
      const res = await api.call('GET', `/${kind}/${meetingId}`, {
        endpoint: `GET /${kind}/{${isWebinar ? 'webinarId' : 'meetingId'}}`,
        accept: ZOOM_EXPECTED.noMeeting,
      });
      if (res.status === 404) return null;
      const body = res.body as { id?: number; settings?: { alternative_hosts?: string }; tracking_fields?: Array<{ field?: string; value?: string }> };
      const trackingFields: Record<string, string> = {};
      for (const t of body.tracking_fields ?? []) if (t.field) trackingFields[t.field] = t.value ?? '';
      return {
        id: Number(body.id ?? meetingId),
        alternativeHosts: (body.settings?.alternative_hosts ?? '')
          .split(/[;,]/)
          .map((s) => s.trim())
          .filter(Boolean),
        trackingFields,
      };
    },

    async listParticipantEmails(meetingUuidOrId, isWebinar) {
      const id = encodeMeetingUuid(meetingUuidOrId);
      if (isWebinar) {
        // Panelists belong to the webinar, addressed by its numeric ID (int64), never by an instance UUID.
        // A 404 here is an error (the webinar is unknown), not "no panelists".
        if (!/^\d+$/.test(meetingUuidOrId)) {
          throw ZOOM_FAILURES.badWebinarId(meetingUuidOrId);
        }
        const res = await api.call('GET', `/webinars/${meetingUuidOrId}/panelists`, { endpoint: 'GET /webinars/{webinarId}/panelists' });
        const panelists = ((res.body as { panelists?: Array<{ email?: string }> }).panelists ?? []).map((p) => p.email ?? '');
        return uniqueEmails(panelists);
      }
      // No report for the meeting (404/3001) means no participants to add, not a failure of the listing.
      const items = await collectOr404(`/report/meetings/${id}/participants`, 'GET /report/meetings/{meetingId}/participants', {}, 'user_email');
      return uniqueEmails(items);
    },

    async listCohostEmails(meetingUuidOrId, isWebinar) {
      const id = encodeMeetingUuid(meetingUuidOrId);
      const kind = WEBINAR_PATH(isWebinar);
      const rows = await collectOr404Rows(`/metrics/${kind}/${id}/participants`, `GET /metrics/${kind}/{id}/participants`, { type: 'past' });
      return uniqueEmails(rows.filter((r) => r.role === 'cohost').map((r) => (typeof r.email === 'string' ? r.email : '')));
    },

    async listUsers(status) {
      const users = await collect<WireUser>(
        '/users',
        { endpoint: 'GET /users', query: { status } },
        (b) => (Array.isArray(b.users) ? (b.users as WireUser[]) : []),
        (u) => u.id ?? `email:${u.email ?? ''}`,
      );
      return users.map(normaliseUser) as ZoomUser[];
    },
  };

  async function collectOr404Rows(path: string, endpoint: string, query: Record<string, string>): Promise<Array<Record<string, unknown>>> {
    let n = 0;
    return collect<Record<string, unknown>>(
      path,
      { endpoint, query },
      (b) => (Array.isArray(b.participants) ? (b.participants as Array<Record<string, unknown>>) : []),
      // Rows are not unique per person (rejoins); emails are de-duplicated afterwards.
      () => String(n++),
      ZOOM_EXPECTED.noReport,
    );
  }

  async function collectOr404(path: string, endpoint: string, query: Record<string, string>, field: string): Promise<string[]> {
    const rows = await collectOr404Rows(path, endpoint, query);
    return rows.map((r) => (typeof r[field] === 'string' ? (r[field] as string) : ''));
  }

  return source;
}

function uniqueEmails(list: string[]): string[] {
  const seen = new Map<string, string>();
  for (const e of list) {
    const t = e.trim();
    if (t && !seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  }
  return [...seen.values()];
}

