/**
 * S2S OAuth access token for one account: fetched with account_credentials,
 * cached, refreshed before expiry and on demand after a 401/124. One fetch at
 * a time (concurrent callers share it). The token never leaves this module
 * except as an Authorization header value.
 */
import { got } from 'got';
import { classifyZoomAnswer, zoomCodeOf } from './classify.js';
import type { Clock } from '../util/clock.js';
import { type BackoffPolicy, withZoomRetry } from './retry.js';

export interface ZoomCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

export interface TokenProviderOptions {
  account: string;
  oauthUrl: string;
  credentials: ZoomCredentials;
  clock: Clock;
  backoff: BackoffPolicy;
  maxRetries: number;
  /** Refresh this long before expiry (capped at half the lifetime). Default 5 min. */
  refreshEarlyMs?: number;
  onCall?: (info: { endpoint: string; status: number; code?: number; account: string }) => void;
  timeoutMs?: number;
  /** Longest Retry-After of the token endpoint waited out here. Default 60 s. */
  maxRetryAfterMs?: number;
}

interface Cached {
  token: string;
  refreshAt: number;
}

export class TokenProvider {
  private cached?: Cached;
  private inflight?: Promise<string>;
  /** Scopes of the last token (Zoom lists them in the token answer). */
  private granted?: string[];

  constructor(private readonly opts: TokenProviderOptions) {}

  async get(signal?: AbortSignal): Promise<string> {
    if (this.cached && this.opts.clock.now() < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.fetch(signal).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** The scopes Zoom granted with the last token, if it said. */
  grantedScopes(): string[] | undefined {
    return this.granted;
  }

  /** Forget `token` (the API said 124); the next get() fetches a new one. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async fetch(signal?: AbortSignal): Promise<string> {
    const { credentials, clock, account } = this.opts;
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    return withZoomRetry(
      {
        clock,
        backoff: this.opts.backoff,
        maxRetries: this.opts.maxRetries,
        maxRetryAfterMs: this.opts.maxRetryAfterMs ?? 60_000,
        account,
        what: 'POST /oauth/token',
        signal,
      },
      async () => {
        const res = await got.post(this.opts.oauthUrl, {
          headers: { authorization: `Basic ${basic}` },
          form: { grant_type: 'account_credentials', account_id: credentials.accountId },
          throwHttpErrors: false,
          retry: { limit: 0 },
          followRedirect: false,
          timeout: { request: this.opts.timeoutMs ?? 30_000 },
          signal,
        });
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(res.body) as Record<string, unknown>;
        } catch {
          // non-JSON error page; the status decides
        }
        this.opts.onCall?.({ endpoint: 'POST /oauth/token', status: res.statusCode, code: zoomCodeOf(body), account });
        if (res.statusCode === 200 && typeof body.access_token === 'string') {
          const ttlMs = (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
          const early = Math.min(this.opts.refreshEarlyMs ?? 5 * 60_000, ttlMs / 2);
          this.cached = { token: body.access_token, refreshAt: clock.now() + ttlMs - early };
          this.granted = typeof body.scope === 'string' ? body.scope.split(/\s+/).filter(Boolean) : undefined;
          return body.access_token;
        }
        throw classifyZoomAnswer({ kind: 'token', what: 'POST /oauth/token', account, status: res.statusCode, headers: res.headers, body }, clock);
      },
    );
  }
}
