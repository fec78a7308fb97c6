/** Backoff and Retry-After arithmetic shared by the token and API clients. */
import type { Clock } from '../util/clock.js';

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

/** Retry-After as seconds or as an absolute date-time (Zoom sends the latter); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, clock: Clock): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - clock.now());
}

/** Network-level failures worth another try (got's RequestError codes). */
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
