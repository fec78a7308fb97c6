/** Capped exponential backoff with jitter for per-file retries (global.retry). */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelay: number;
  maxDelay: number;
}

/**
 * Delay before attempt `attempts + 1`, in ms: base·2^(attempts−1), capped at
 * maxDelay, scaled by a jitter factor in [0.5, 1) so a burst of failures does not
 * retry in lockstep. Never shorter than what the remote asked for (Retry-After).
 */
export function retryDelay(attempts: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxDelay, policy.baseDelay * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  const jittered = Math.round(exp * (0.5 + random() * 0.5));
  return Math.max(jittered, retryAfterMs ?? 0);
}
