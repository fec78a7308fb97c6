/**
 * next_page_token: opaque, bound to one account and one query, expiring
 * (15 minutes by default, like Zoom's).
 */
import { randomBytes } from 'node:crypto';
import { ZoomApiError } from './context.js';

interface PageTokenRecord {
  accountId: string;
  queryKey: string;
  offset: number;
  expiresAt: number;
}

export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 300;

export class PageTokens {
  private readonly tokens = new Map<string, PageTokenRecord>();

  issue(accountId: string, queryKey: string, offset: number, now: number, ttlSec: number): string {
    for (const [t, rec] of this.tokens) if (rec.expiresAt <= now) this.tokens.delete(t);
    const token = randomBytes(18).toString('base64url');
    this.tokens.set(token, { accountId, queryKey, offset, expiresAt: now + ttlSec * 1000 });
    return token;
  }

  /** Offset the token points at; 400/300 when unknown, expired or from another query. */
  resolve(token: string, accountId: string, queryKey: string, now: number): number {
    const rec = this.tokens.get(token);
    if (!rec || rec.expiresAt <= now || rec.accountId !== accountId || rec.queryKey !== queryKey) {
      throw new ZoomApiError(400, 300, 'The next page token is invalid or expired.');
    }
    return rec.offset;
  }

  /** Sandbox control: expire every outstanding token now. */
  expireAll(): void {
    this.tokens.clear();
  }
}

export function pageSizeOf(query: URLSearchParams): number {
  const n = Number.parseInt(query.get('page_size') ?? '', 10);
  if (!Number.isFinite(n) || n <= 0) return DEFAULT_PAGE_SIZE;
  return Math.min(n, MAX_PAGE_SIZE);
}

export interface Page<T> {
  items: T[];
  pageSize: number;
  pageCount: number;
  total: number;
  nextPageToken: string;
}

/** Slices `all` by the request's page token; `queryKey` identifies the query (without the token). */
export function paginate<T>(
  all: T[],
  query: URLSearchParams,
  opts: { pages: PageTokens; accountId: string; queryKey: string; now: number; ttlSec: number },
): Page<T> {
  const pageSize = pageSizeOf(query);
  const token = query.get('next_page_token');
  const offset = token ? opts.pages.resolve(token, opts.accountId, opts.queryKey, opts.now) : 0;
  const items = all.slice(offset, offset + pageSize);
  const next = offset + pageSize < all.length ? opts.pages.issue(opts.accountId, opts.queryKey, offset + pageSize, opts.now, opts.ttlSec) : '';
  return { items, pageSize, pageCount: Math.ceil(all.length / pageSize), total: all.length, nextPageToken: next };
}

/** The query minus paging parameters: a page token only continues the query it came from. */
export function queryKeyOf(route: string, query: URLSearchParams, extra = ''): string {
  const q = new URLSearchParams(query);
  q.delete('next_page_token');
  q.delete('page_size');
  q.sort();
  return `${route}?${q.toString()}#${extra}`;
}
