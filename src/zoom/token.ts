/**
 * S2S OAuth access token for one account: fetched with account_credentials,
 * cached, refreshed before expiry and on demand after a 401/124. One fetch at
 * a time (concurrent callers share it). The token never leaves this module
 * except as an Authorization header value.
 */
import { got } from 'got';
import { FatalError, RetryableError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { type BackoffPolicy, backoffMs, isTransientNetworkError, parseRetryAfter } from './retry.js';

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
}

interface Cached {
  token: string;
  refreshAt: number;
}

export class TokenProvider {
  private cached?: Cached;
  private inflight?: Promise<string>;

  constructor(private readonly opts: TokenProviderOptions) {}

  async get(signal?: AbortSignal): Promise<string> {
    if (this.cached && this.opts.clock.now() < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.fetch(signal).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forget `token` (the API said 124); the next get() fetches a new one. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async fetch(signal?: AbortSignal): Promise<string> {
    const { credentials, clock, account } = this.opts;
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    let lastStatus = 0;
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        res = await got.post(this.opts.oauthUrl, {
          headers: { authorization: `Basic ${basic}` },
          form: { grant_type: 'account_credentials', account_id: credentials.accountId },
          throwHttpErrors: false,
          retry: { limit: 0 },
          followRedirect: false,
          timeout: { request: this.opts.timeoutMs ?? 30_000 },
          signal,
        });
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (!isTransientNetworkError(err) || attempt >= this.opts.maxRetries) {
          throw new RetryableError(`zoom token request failed for account ${account}`, { source: 'zoom', code: 'ZOOM_TOKEN_NETWORK', cause: err });
        }
        await clock.sleep(backoffMs(this.opts.backoff, attempt), signal);
        continue;
      }
      lastStatus = res.statusCode;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(res.body) as Record<string, unknown>;
      } catch {
        // non-JSON error page; the status decides
      }
      const code = typeof body.code === 'number' ? body.code : undefined;
      this.opts.onCall?.({ endpoint: 'POST /oauth/token', status: res.statusCode, code, account });
      if (res.statusCode === 200 && typeof body.access_token === 'string') {
        const ttlMs = (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
        const early = Math.min(this.opts.refreshEarlyMs ?? 5 * 60_000, ttlMs / 2);
        this.cached = { token: body.access_token, refreshAt: clock.now() + ttlMs - early };
        return body.access_token;
      }
      if (res.statusCode === 429 || res.statusCode >= 500) {
        if (attempt >= this.opts.maxRetries) break;
        const wait = res.statusCode === 429 ? parseRetryAfter(res.headers['retry-after'], clock) : undefined;
        await clock.sleep(wait ?? backoffMs(this.opts.backoff, attempt), signal);
        continue;
      }
      // invalid_client, unsupported_grant_type, bad account id, disabled app: credentials need a human.
      const error = typeof body.error === 'string' ? body.error : `http_${res.statusCode}`;
      const reason = typeof body.reason === 'string' ? body.reason : '';
      throw new FatalError(`zoom rejected the credentials of account ${account}: ${error}${reason ? ` (${reason})` : ''}`, {
        source: 'zoom',
        code: 'ZOOM_AUTH',
        status: res.statusCode,
      });
    }
    throw new RetryableError(`zoom token endpoint unavailable for account ${account} (HTTP ${lastStatus})`, {
      source: 'zoom',
      code: 'ZOOM_TOKEN_UNAVAILABLE',
      status: lastStatus,
    });
  }
}
