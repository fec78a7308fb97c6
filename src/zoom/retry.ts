/**
 * The one retry layer for Zoom (API calls, downloads, token requests): a
 * classified error decides; retryable ones are tried again after their
 * Retry-After or a capped, jittered backoff; a refused access token is
 * refreshed once; everything else, and a wait longer than the caller waits
 * out here (a daily limit), goes up to the engine as it is.
 */
import { isRetryable, type ZkError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { classifyZoomThrown, ZOOM_CODES, ZOOM_FAILURES, ZoomRetriesExhausted } from './classify.js';

export { isTransientNetworkError, parseRetryAfter } from './classify.js';

export interface BackoffPolicy {
  /** First retry waits about this long; doubles per attempt. */
  baseMs: number;
  /** No single wait is longer. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

/** Capped exponential backoff with jitter in [½, 1] of the step, so retries of many callers spread out. */
export function backoffMs(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.round(step / 2 + (random() * step) / 2);
}

export interface ZoomRetryOptions {
  clock: Clock;
  backoff: BackoffPolicy;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** A Retry-After longer than this is not waited out here: the error goes up with its retryAfterMs. */
  maxRetryAfterMs: number;
  account: string;
  /** For messages and logs: 'GET /users/{userId}', 'download of file X', 'POST /oauth/token'. */
  what: string;
  signal?: AbortSignal;
  /** Forget the refused token (401/124); the next attempt fetches a new one. Once per call. */
  refreshToken?: () => void;
  onRetry?: (err: ZkError, attempt: number, waitMs: number) => void;
}

/** Runs `attempt` until it succeeds or its error should not be retried here. */
export async function withZoomRetry<T>(opts: ZoomRetryOptions, attempt: (n: number) => Promise<T>): Promise<T> {
  let refreshed = false;
  for (let n = 0; ; n++) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    try {
      return await attempt(n);
    } catch (thrown) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const err = classifyZoomThrown(thrown, opts.what, opts.account);
      if (err.code === ZOOM_CODES.tokenExpired) {
        if (opts.refreshToken && !refreshed) {
          refreshed = true;
          opts.refreshToken();
          n -= 1;
          continue;
        }
        // Refused again right after a refresh: the credentials (or the app) are the problem.
        throw ZOOM_FAILURES.freshTokenRefused(opts.account, opts.what, err);
      }
      if (!isRetryable(err) || err instanceof ZoomRetriesExhausted) throw err;
      // A wait this long is the engine's to take (every outer layer sees the same wait and passes it up too).
      if (err.retryAfterMs !== undefined && err.retryAfterMs > opts.maxRetryAfterMs) throw err;
      if (n >= opts.maxRetries) throw ZOOM_FAILURES.retriesExhausted(err);
      const wait = err.retryAfterMs ?? backoffMs(opts.backoff, n);
      opts.onRetry?.(err, n, wait);
      await opts.clock.sleep(wait, opts.signal);
    }
  }
}
