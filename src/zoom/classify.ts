/**
 * The one place Zoom failures become zk errors: HTTP status, Zoom body code,
 * Retry-After / X-RateLimit-Type headers and network errors, for API calls,
 * downloads and token requests alike (a 403 means the same thing everywhere).
 * Nothing above src/zoom looks at a status or a body; it looks at the class
 * and at the codes below.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { FatalError, MissingPermissionError, PermanentError, RetryableError, ZkError } from '../errors.js';
import type { Clock } from '../util/clock.js';

/** Codes carried by the errors this module makes (README: errors and health). */
export const ZOOM_CODES = {
  /** A scope the call needs is not granted to the app (400/401 with 4711, or 4700). */
  scope: 'ZOOM_4711',
  /** The access token was refused after a refresh, or the token endpoint refused the credentials. */
  auth: 'ZOOM_AUTH',
  /** 401/124 on a call: the access token expired or was revoked; refresh once. */
  tokenExpired: 'ZOOM_TOKEN_EXPIRED',
  /** 429 with X-RateLimit-Type: Daily-limit: the account's API budget for the day is spent. */
  dailyLimit: 'ZOOM_DAILY_LIMIT',
  /** 429 per-second (QPS) limit. */
  rateLimit: 'ZOOM_429',
  network: 'ZOOM_NETWORK',
  htmlBody: 'ZOOM_HTML_BODY',
} as const;

/** What a call was doing; token requests answer in OAuth's own dialect. */
export type ZoomCallKind = 'api' | 'download' | 'token';

export interface ZoomAnswer {
  kind: ZoomCallKind;
  /** For messages: 'GET /users/{userId}', 'download of file X', ... */
  what: string;
  account: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, when there was one. */
  body?: unknown;
}

/** A scope is missing: `scopes` names it (from Zoom's message) so the fix can be shown. */
export class ZoomScopeError extends MissingPermissionError {
  readonly scopes: string[];
  constructor(message: string, details: { status: number; scopes: string[] }) {
    const named = details.scopes.length ? `scope ${details.scopes.join(', ')}` : 'the scope Zoom names in the message';
    super(message, {
      source: 'zoom',
      code: ZOOM_CODES.scope,
      status: details.status,
      permissions: details.scopes,
      fix: `add ${named} to the account's Server-to-Server OAuth app (Zoom App Marketplace → Manage → Scopes), then wait for zk's next try or restart it`,
    });
    this.scopes = details.scopes;
  }
}

/** Without a Retry-After, a QPS 429 waits Zoom's one-second window. */
const DEFAULT_QPS_WAIT_MS = 1000;

function bodyField(body: unknown, key: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
}

export function zoomCodeOf(body: unknown): number | undefined {
  const c = bodyField(body, 'code');
  return typeof c === 'number' ? c : undefined;
}

/** "Invalid access token, does not contain scopes:[a, b]." → ['a', 'b']. */
export function scopesNamed(message: string): string[] {
  const m = /scopes?\s*:?\s*\[([^\]]*)\]/i.exec(message);
  return m ? m[1].split(/[\s,]+/).filter(Boolean) : [];
}

/** Retry-After as seconds or as an absolute date-time (Zoom sends the latter); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, clock: Pick<Clock, 'now'>): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - clock.now());
}

/** Zoom resets daily limits at 00:00 UTC; used when a Daily-limit 429 names no Retry-After. */
function untilUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
}

/**
 * A non-2xx answer as a zk error. 3xx never gets here (redirects are followed
 * by the caller), nor do answers the caller accepts (404/3301 → "gone").
 */
export function classifyZoomAnswer(a: ZoomAnswer, clock: Pick<Clock, 'now'>): ZkError {
  const code = zoomCodeOf(a.body);
  const zoomMessage = String(bodyField(a.body, 'message') ?? bodyField(a.body, 'reason') ?? '');
  const where = `zoom ${a.what} (account ${a.account})`;
  const shown = `${a.status}${code !== undefined ? `/${code}` : ''}`;
  const details = { source: 'zoom', status: a.status };

  if (a.status === 429) {
    const wait = parseRetryAfter(a.headers['retry-after'], clock);
    if (String(a.headers['x-ratelimit-type'] ?? '').toLowerCase() === 'daily-limit') {
      return new RetryableError(`${where}: daily API limit reached`, { ...details, code: ZOOM_CODES.dailyLimit, retryAfterMs: wait ?? untilUtcMidnight(clock.now()), pausesAccount: true });
    }
    return new RetryableError(`${where}: rate limited (429)`, { ...details, code: ZOOM_CODES.rateLimit, retryAfterMs: wait && wait > 0 ? wait : DEFAULT_QPS_WAIT_MS });
  }
  if (a.status >= 500 || a.status === 408) return new RetryableError(`${where}: answered ${shown}`, { ...details, code: `ZOOM_HTTP_${a.status}` });
  if ((a.status === 400 || a.status === 401 || a.status === 403) && (code === 4711 || code === 4700)) {
    const scopes = scopesNamed(zoomMessage);
    const named = scopes.length ? scopes.join(', ') : 'a scope it needs (Zoom did not name it)';
    return new ZoomScopeError(`${where}: the Zoom app lacks ${named}; add it to the Server-to-Server OAuth app`, { status: a.status, scopes });
  }
  if (a.status === 403) {
    // Zoom's CDN answers 403 once a signed URL expired, and the API for a resource locked for now;
    // both heal, so 403 is retried within the attempt budget everywhere.
    return new RetryableError(`${where}: forbidden (${shown})${zoomMessage ? `: ${zoomMessage}` : ''}`, { ...details, code: `ZOOM_${code ?? 403}` });
  }
  if (a.kind === 'token') {
    // invalid_client, bad account id, disabled app: only a human fixes the credentials.
    const error = String(bodyField(a.body, 'error') ?? `http_${a.status}`);
    return new FatalError(`zoom rejected the credentials of account ${a.account}: ${error}${zoomMessage ? ` (${zoomMessage})` : ''}`, {
      ...details,
      code: ZOOM_CODES.auth,
      fix: "check the account's credentials (accountId, clientId, clientSecret) against its Server-to-Server OAuth app, and that the app is activated",
    });
  }
  if (a.status === 401) return new RetryableError(`${where}: access token refused (${shown})`, { ...details, code: ZOOM_CODES.tokenExpired });
  return new PermanentError(`${where}: answered ${shown}${zoomMessage ? `: ${zoomMessage}` : ''}`, { ...details, code: `ZOOM_${code ?? a.status}` });
}

/** Network-level failures (got's RequestError codes and names). */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_GOT_REQUEST_ERROR',
]);

export function isTransientNetworkError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; name?: string };
  return (e.code !== undefined && TRANSIENT_CODES.has(e.code)) || e.name === 'TimeoutError' || e.name === 'ReadError' || e.name === 'RequestError';
}

/** Anything thrown while talking to Zoom, as a zk error: ZkErrors pass, the rest is a retryable network failure. */
export function classifyZoomThrown(err: unknown, what: string, account: string): ZkError {
  if (err instanceof ZkError) return err;
  const reason = err instanceof Error ? (err as Error & { code?: string }).code ?? err.name : 'unknown';
  return new RetryableError(`zoom ${what} (account ${account}): network error ${reason}`, { source: 'zoom', code: ZOOM_CODES.network, cause: err });
}

export function isDailyLimit(err: unknown): err is RetryableError {
  return err instanceof RetryableError && err.code === ZOOM_CODES.dailyLimit;
}

/**
 * Answers that are results, not failures, for the call that expects them
 * (checked before classifyZoomAnswer): "no such recording/user/meeting" is
 * the answer to "is it there?", and an expired next_page_token restarts a listing.
 */
export const ZOOM_EXPECTED = {
  noRecording: (status: number, code: number | undefined) => status === 404 && code === 3301,
  noUser: (status: number, code: number | undefined) => status === 404 && code === 1001,
  noMeeting: (status: number, code: number | undefined) => status === 404 && (code === 3001 || code === 3301),
  /** 404/3001 on a report, dashboard or panelist list: that meeting/webinar has none. */
  noReport: (status: number, code: number | undefined) => status === 404 && code === 3001,
  pageTokenExpired: (status: number, code: number | undefined) => status === 400 && code === 300,
} as const;

/**
 * Failures zk finds in an answer Zoom gave without an HTTP error (a bad
 * window, a body that is not the file, a listing that never ends). Each one's
 * class is decided here, beside the HTTP rules above, so this file alone says
 * which Zoom failures are retried, which fail the item and which stop zk.
 */
export const ZOOM_FAILURES = {
  badWindow: (from: string, to: string) => new PermanentError(`invalid date window ${from}..${to}`, { source: 'zoom', code: 'ZOOM_BAD_WINDOW' }),
  windowTooLong: (from: string, to: string) =>
    new PermanentError(`date window ${from}..${to} is longer than one month; split it`, { source: 'zoom', code: 'ZOOM_WINDOW_TOO_LONG' }),
  tooManyPages: (endpoint: string, pages: number) =>
    new RetryableError(`zoom ${endpoint}: more than ${pages} pages`, { source: 'zoom', code: 'ZOOM_TOO_MANY_PAGES' }),
  pageTokenKeptExpiring: (endpoint: string) =>
    new RetryableError(`zoom ${endpoint}: page token kept expiring; listing incomplete`, { source: 'zoom', code: 'ZOOM_PAGE_TOKEN_EXPIRED' }),
  recordingGone: (meetingUuid: string, fileId: string) =>
    new PermanentError(`zoom: meeting ${meetingUuid} has no recordings (3301); file ${fileId} is gone`, { code: 'ZOOM_3301', status: 404, source: 'zoom' }),
  noDownloadAccessToken: () =>
    new PermanentError(
      'zoom: no download_access_token in the meeting recordings answer; give the app\'s role the "View the recording content" permission, or use kaltura.transferMode: upload',
      { code: 'ZOOM_NO_DOWNLOAD_ACCESS_TOKEN', source: 'zoom' },
    ),
  badWebinarId: (given: string) =>
    new PermanentError(`zoom panelists need the numeric webinar ID, got ${JSON.stringify(given)}`, { source: 'zoom', code: 'ZOOM_BAD_WEBINAR_ID' }),
  /** Refused again right after a refresh: the credentials (or the app) are the problem. */
  freshTokenRefused: (account: string, what: string, cause: ZkError) =>
    new FatalError(`zoom refused a fresh access token of account ${account} (${what})`, {
      source: 'zoom',
      code: ZOOM_CODES.auth,
      status: cause.status,
      cause,
      fix: "check the account's credentials and that its Server-to-Server OAuth app is activated",
    }),
  /** The retry layer tried a retryable error as often as it may; the engine decides what's next. */
  retriesExhausted: (last: RetryableError) => new ZoomRetriesExhausted(last),
  /** Mid-body failures are retryable so the caller resumes from the bytes it has. */
  downloadBroken: (fileId: string, cause: unknown) =>
    new RetryableError(`download of zoom file ${fileId} broke off`, { source: 'zoom', code: 'ZOOM_DOWNLOAD_BROKEN', cause }),
  noDownloadUrl: (fileId: string) => new PermanentError(`zoom file ${fileId} has no download_url`, { source: 'zoom', code: 'ZOOM_NO_DOWNLOAD_URL' }),
  anyLengthOffset: (fileId: string) =>
    new PermanentError(`zoom file ${fileId}: a download of any length starts at 0`, { source: 'zoom', code: 'ZOOM_BAD_OFFSET' }),
  nothingFromOffset: (fileId: string, offset: number) =>
    new PermanentError(`zoom file ${fileId}: nothing to download from offset ${offset}`, { source: 'zoom', code: 'ZOOM_BAD_OFFSET' }),
  redirectWithoutLocation: (fileId: string, status: number) =>
    new RetryableError(`zoom redirect without Location for file ${fileId}`, { source: 'zoom', code: 'ZOOM_BAD_REDIRECT', status }),
  tooManyRedirects: (fileId: string, max: number, status: number) =>
    new RetryableError(`zoom download of file ${fileId}: more than ${max} redirects`, { source: 'zoom', code: 'ZOOM_BAD_REDIRECT', status }),
  /** Deleted, trashed or unauthorised files come back as 200 text/html, never as a 4xx. */
  htmlInsteadOfFile: (fileId: string, status: number) =>
    new RetryableError(`zoom served an HTML page instead of file ${fileId}`, { source: 'zoom', code: ZOOM_CODES.htmlBody, status }),
  wholeFileStatus: (fileId: string, status: number) =>
    new RetryableError(`zoom download of file ${fileId} answered ${status} to a whole-file request`, { source: 'zoom', code: `ZOOM_HTTP_${status}`, status }),
  sizeMismatch: (fileId: string, got: number, from: number, expected: number, offset: number, status: number) =>
    new RetryableError(`zoom file ${fileId}: got ${Number.isFinite(got) ? got : 'unknown'} bytes from ${from}, expected ${expected} from ${offset}`, {
      source: 'zoom',
      code: 'ZOOM_SIZE_MISMATCH',
      status,
    }),
} as const;

/**
 * A retryable error this layer already retried as far as it may. A token
 * request inside an API call is retried by its own withZoomRetry; the call
 * must not retry it again (the waits would multiply).
 */
export class ZoomRetriesExhausted extends RetryableError {
  constructor(readonly last: RetryableError) {
    super(last.message, { code: last.code, status: last.status, source: last.source, retryAfterMs: last.retryAfterMs, pausesAccount: last.pausesAccount, cause: last });
  }
}
