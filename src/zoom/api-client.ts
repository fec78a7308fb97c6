/**
 * One account's Zoom API client: pacing (p-queue + a pause shared by the
 * account's calls) over the one Zoom retry layer (retry.ts; got's own is off)
 * and the one classifier (classify.ts).
 */
import { got, type Response } from 'got';
import PQueue from 'p-queue';
import type { Clock } from '../util/clock.js';
import { classifyZoomAnswer, parseRetryAfter, zoomCodeOf } from './classify.js';
import { type BackoffPolicy, withZoomRetry } from './retry.js';
import type { TokenProvider } from './token.js';
import type { Log } from '../log/port.js';

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
  logger: Log;
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
    let token = '';
    return withZoomRetry(
      {
        clock,
        backoff: this.opts.backoff,
        maxRetries: this.opts.maxRetries,
        maxRetryAfterMs: this.opts.maxRetryAfterMs,
        account,
        what: co.endpoint,
        signal: co.signal,
        refreshToken: () => this.opts.tokens.invalidate(token),
        onRetry: (err, attempt, waitMs) => logger.debug('zoom call failed, retrying', { account, endpoint: co.endpoint, code: err.code, attempt, waitMs }),
      },
      async () => {
        token = await this.opts.tokens.get(co.signal);
        const res: Response<string> = await this.paced(
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
        let body: unknown;
        if (res.body) {
          try {
            body = JSON.parse(res.body);
          } catch {
            body = undefined;
          }
        }
        const code = zoomCodeOf(body);
        const status = res.statusCode;
        this.opts.onCall?.({ endpoint: co.endpoint, status, code, account, rateLimit: rateLimitOf(res.headers) });
        this.noteRateLimit(res);
        if (status >= 200 && status < 300) return { status, code, body, headers: res.headers };
        if (co.accept?.(status, code)) return { status, code, body, headers: res.headers };
        throw classifyZoomAnswer({ kind: 'api', what: co.endpoint, account, status, headers: res.headers, body }, clock);
      },
    );
  }
}
