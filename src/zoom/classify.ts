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
