/**
 * Fault injection for the Zoom sandbox. Random faults draw from a seeded PRNG
 * so a run is reproducible; `failNext` rules are fully deterministic.
 */
import { mulberry32 } from '../prng.js';

export interface ZoomFailRule {
  /** Matches when the request path starts with this (e.g. '/v2/accounts/me/recordings', '/cdn/'). */
  pathPrefix: string;
  /** HTTP status to answer with, or 'reset' to destroy the connection (CDN: partway through the body). */
  status: number | 'reset';
  /** How many matching requests fail. */
  count: number;
  /** Only requests authenticated for this account (token or client id). */
  accountId?: string;
  method?: string;
  /** Body code; defaults: 429→429, 401→124, 5xx→status. */
  code?: number;
  message?: string;
  /** 429 only: X-RateLimit-Type (default 'QPS'; 'Daily-limit' for the per-day budget). */
  rateLimitType?: string;
  /** 429 only: Retry-After this far ahead (default faults.retryAfterMs). */
  retryAfterMs?: number;
}

export interface ZoomFaults {
  /** Probability (0..1) that an API call answers 429. */
  rate429?: number;
  /** Probability (0..1) that an API call answers 500/502/503. */
  rate5xx?: number;
  /** Probability (0..1) that a CDN body is cut partway (socket destroyed). */
  resetMidDownloadRate?: number;
  /** Delay before every answer. */
  slowMs?: number;
  /** Access-token lifetime for tokens issued from now on. Default 3600. */
  tokenTtlSec?: number;
  /** next_page_token lifetime. Default 900 (15 min). */
  pageTokenTtlSec?: number;
  /** Signed CDN URL lifetime. Default 300. */
  cdnTtlSec?: number;
  /** accountId → epoch ms (sandbox clock): until then every API call of the account answers 429 Daily-limit. */
  dailyLimitUntil?: Record<string, number>;
  /** accountIds whose client secret is refused by /oauth/token (a revoked or rotated secret). */
  rejectedCredentials?: string[];
  /** Text files (TRANSCRIPT, CC, CHAT) are listed with file_size off by this many bytes from what the CDN serves (Zoom's sizes are inexact). */
  textSizeSkew?: number;
  /** The CDN answers without Content-Length (chunked), for text files only ('text') or every file ('all'). */
  omitContentLength?: 'text' | 'all';
  /** Redirect downloads to a CDN URL on the API's own origin instead of the separate CDN port. */
  cdnSameOrigin?: boolean;
  /** accountId → granular scopes the app does NOT have (4711 on calls needing them). */
  withheldScopes?: Record<string, string[]>;
  /** Per-account, per-category requests per second; over it → 429 QPS. Unset = no limit. */
  qpsLimit?: number;
  /** How far ahead Retry-After points on injected 429s. Default 1000 ms. */
  retryAfterMs?: number;
  /** Deterministic failures; setFaults appends to the pending rules. */
  failNext?: ZoomFailRule[];
  /** PRNG seed for the random faults. Default 1. */
  seed?: number;
}

export interface FaultState {
  readonly current: Readonly<Omit<ZoomFaults, 'failNext'>>;
  set(partial: ZoomFaults): void;
  reset(): void;
  /** Consumes one matching deterministic rule, if any. */
  takeRule(method: string, path: string, accountId: string | undefined): ZoomFailRule | undefined;
  chance(p: number | undefined): boolean;
  /** Uniform in [0, 1). */
  random(): number;
  pendingRules(): ZoomFailRule[];
}

export function createFaultState(initial: ZoomFaults = {}): FaultState {
  let current: Omit<ZoomFaults, 'failNext'> = {};
  let rules: ZoomFailRule[] = [];
  let rng = mulberry32(1);
  const state: FaultState = {
    get current() {
      return current;
    },
    set(partial) {
      const { failNext, ...rest } = partial;
      current = { ...current, ...rest };
      if (rest.seed !== undefined) rng = mulberry32(rest.seed);
      if (failNext) rules.push(...failNext.map((r) => ({ ...r })));
    },
    reset() {
      current = {};
      rules = [];
      rng = mulberry32(1);
    },
    takeRule(method, path, accountId) {
      const i = rules.findIndex(
        (r) =>
          r.count > 0 &&
          path.startsWith(r.pathPrefix) &&
          (r.method === undefined || r.method.toUpperCase() === method) &&
          (r.accountId === undefined || r.accountId === accountId),
      );
      if (i < 0) return undefined;
      const rule = rules[i];
      rule.count -= 1;
      if (rule.count <= 0) rules.splice(i, 1);
      return rule;
    },
    chance(p) {
      if (!p || p <= 0) return false;
      return rng() < p;
    },
    random: () => rng(),
    pendingRules: () => rules.map((r) => ({ ...r })),
  };
  state.set(initial);
  return state;
}
