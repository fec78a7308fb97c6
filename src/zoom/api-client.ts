/**
 * One account's Zoom API client: pacing (p-queue + a pause shared by the
 * account's calls), the one retry layer (got's own is off), and error
 * classification at the boundary, by HTTP status and Zoom body code only.
 */
import { got, type Response } from 'got';
import PQueue from 'p-queue';
import { FatalError, PermanentError, RetryableError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { type BackoffPolicy, backoffMs, isTransientNetworkError, parseRetryAfter } from './retry.js';
import type { TokenProvider } from './token.js';

export interface ZoomLogger {
  debug(msg: string, meta?: Record<string, unknown>): void;
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
}

export interface ZoomCallInfo {
  endpoint: string;
  status: number;
  code?: number;
  account: string;
  /** X-RateLimit-* headers of the answer, when Zoom sent them (for `zk status`). */
  rateLimit?: { remaining: number; limit?: number; category?: string };
}

function rateLimitOf(headers: Response['headers']): ZoomCallInfo['rateLimit'] {
  const remaining = Number(headers['x-ratelimit-remaining']);
  if (headers['x-ratelimit-remaining'] === undefined || !Number.isFinite(remaining)) return undefined;
  const limit = Number(headers['x-ratelimit-limit']);
  const category = headers['x-ratelimit-category'];
  return { remaining, limit: Number.isFinite(limit) ? limit : undefined, category: typeof category === 'string' ? category : undefined };
}

export interface ApiClientOptions {
  account: string;
  apiUrl: string;
  tokens: TokenProvider;
  clock: Clock;
  logger: ZoomLogger;
  backoff: BackoffPolicy;
  maxRetries: number;
  concurrency: number;
  /** A Retry-After longer than this is not waited out here: RetryableError with retryAfterMs. */
  maxRetryAfterMs: number;
  timeoutMs: number;
  onCall?: (info: ZoomCallInfo) => void;
  onRateLimitWait?: (ms: number) => void;
}

export interface ApiResponse {
  status: number;
  code?: number;
  body: unknown;
  headers: Response['headers'];
}

export interface CallOptions {
  /** Route template for metrics and logs, e.g. 'GET /accounts/me/recordings'. */
  endpoint: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  signal?: AbortSignal;
  /** Answers the caller handles itself (e.g. 404/3301 → null): returned, not thrown. */
  accept?: (status: number, code: number | undefined) => boolean;
}

function codeOf(body: unknown): number | undefined {
  return body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'number' ? (body as { code: number }).code : undefined;
}

function messageOf(body: unknown): string {
  return body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : '';
}

export class ZoomApiClient {
  private readonly queue: PQueue;
  /** Epoch ms (injected clock) before which no call of this account starts. */
  private pausedUntil = 0;

  constructor(private readonly opts: ApiClientOptions) {
    this.queue = new PQueue({ concurrency: opts.concurrency });
  }

  get account(): string {
    return this.opts.account;
  }

  /** Pauses every call of this account (a 429 storm here never slows other accounts). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.opts.clock.now() + ms);
  }

  /** Runs `fn` in this account's queue after any pause has passed. */
  async paced<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.queue.add(
      async () => {
        for (let wait = this.pausedUntil - this.opts.clock.now(); wait > 0; wait = this.pausedUntil - this.opts.clock.now()) {
          await this.opts.clock.sleep(wait, signal);
        }
        return fn();
      },
      { throwOnTimeout: true },
    ) as Promise<T>;
  }

  /** Handles 429 / X-RateLimit-Remaining bookkeeping; returns the wait for a 429. */
  noteRateLimit(res: { statusCode: number; headers: Response['headers'] }): number | undefined {
    if (res.statusCode === 429) {
      const wait = parseRetryAfter(res.headers['retry-after'], this.opts.clock);
      // Missing Retry-After happens; one second is Zoom's per-second window.
      const ms = wait === undefined || wait <= 0 ? 1000 : wait;
      if (ms <= this.opts.maxRetryAfterMs) {
        this.pause(ms);
        this.opts.onRateLimitWait?.(ms);
      }
      return ms;
    }
    if (res.headers['x-ratelimit-remaining'] === '0') {
      // Out of this second's budget: let the window roll over before the next call.
      this.pause(1000);
      this.opts.onRateLimitWait?.(1000);
    }
    return undefined;
  }

  async call(method: 'GET' | 'DELETE' | 'PUT' | 'POST', path: string, co: CallOptions): Promise<ApiResponse> {
    const { clock, logger, account } = this.opts;
    const url = new URL(this.opts.apiUrl.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(co.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    let refreshed = false;
    let last: { status: number; code?: number; retryAfterMs?: number } = { status: 0 };
    for (let attempt = 0; attempt <= this.opts.maxRetries; attempt++) {
      if (co.signal?.aborted) throw co.signal.reason;
      const token = await this.opts.tokens.get(co.signal);
      let res: Response<string>;
      try {
        res = await this.paced(
          () =>
            got(url, {
              method,
              headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
              ...(co.json !== undefined ? { json: co.json } : {}),
              throwHttpErrors: false,
              retry: { limit: 0 },
              followRedirect: false,
              timeout: { request: this.opts.timeoutMs },
              signal: co.signal,
            }),
          co.signal,
        );
      } catch (err) {
        if (co.signal?.aborted) throw co.signal.reason;
        if (!isTransientNetworkError(err)) {
          throw new RetryableError(`zoom ${co.endpoint} failed for account ${account}`, { source: 'zoom', code: 'ZOOM_NETWORK', cause: err });
        }
        last = { status: 0 };
        logger.debug('zoom network error, retrying', { account, endpoint: co.endpoint, attempt, error: (err as Error).message });
        await clock.sleep(backoffMs(this.opts.backoff, attempt), co.signal);
        continue;
      }
      let body: unknown;
      if (res.body) {
        try {
          body = JSON.parse(res.body);
        } catch {
          body = undefined;
        }
      }
      const code = codeOf(body);
      const status = res.statusCode;
      this.opts.onCall?.({ endpoint: co.endpoint, status, code, account, rateLimit: rateLimitOf(res.headers) });
      const wait = this.noteRateLimit(res);

      if (status >= 200 && status < 300) return { status, code, body, headers: res.headers };
      if (co.accept?.(status, code)) return { status, code, body, headers: res.headers };

      if (status === 401) {
        // 124 = expired/invalid token: refresh once, then the credentials are the problem.
        this.opts.tokens.invalidate(token);
        if (!refreshed) {
          refreshed = true;
          attempt -= 1;
          continue;
        }
        throw new FatalError(`zoom rejected the access token of account ${account} after a refresh (${co.endpoint})`, {
          source: 'zoom',
          code: 'ZOOM_AUTH',
          status,
        });
      }
      if (status === 400 && (code === 4711 || code === 4700)) {
        // Missing scope is account-level: nothing on this account works until the app is fixed.
        throw new FatalError(`zoom account ${account} lacks a scope for ${co.endpoint}: ${messageOf(body)}`, {
          source: 'zoom',
          code: 'ZOOM_4711',
          status,
        });
      }
      if (status === 429) {
        last = { status, code, retryAfterMs: wait };
        if (wait !== undefined && wait > this.opts.maxRetryAfterMs) break;
        logger.debug('zoom rate limited, waiting', { account, endpoint: co.endpoint, waitMs: wait });
        continue;
      }
      if (status >= 500) {
        last = { status, code };
        logger.debug('zoom server error, retrying', { account, endpoint: co.endpoint, status, attempt });
        await clock.sleep(backoffMs(this.opts.backoff, attempt), co.signal);
        continue;
      }
      throw new PermanentError(`zoom ${co.endpoint} answered ${status}${code !== undefined ? `/${code}` : ''}: ${messageOf(body)}`, {
        source: 'zoom',
        code: `ZOOM_${code ?? status}`,
        status,
      });
    }
    logger.warn('zoom call still failing after retries', { account, endpoint: co.endpoint, status: last.status });
    throw new RetryableError(`zoom ${co.endpoint} still failing for account ${account} (last HTTP ${last.status || 'network error'})`, {
      source: 'zoom',
      code: last.status === 429 ? 'ZOOM_429' : last.status ? `ZOOM_HTTP_${last.status}` : 'ZOOM_NETWORK',
      status: last.status || undefined,
      retryAfterMs: last.retryAfterMs,
    });
  }
}
