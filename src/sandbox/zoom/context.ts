/** What every sandbox route handler gets. */
import type { TokenRegistry } from './auth.js';
import type { FaultState } from './faults.js';
import type { PageTokens } from './paging.js';
import type { ZoomStore } from './store.js';

export interface ZoomContext {
  store: ZoomStore;
  faults: FaultState;
  tokens: TokenRegistry;
  pages: PageTokens;
  now(): number;
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  /** The CDN's base URL: another origin (port), as Zoom's CDN is another host. */
  cdnUrl: string;
  /** Signs CDN URLs; never leaves the process. */
  secret: string;
}

export interface ApiRequest {
  method: string;
  /** Raw (still percent-encoded) path segments after the leading '/'. */
  segments: string[];
  query: URLSearchParams;
  accountId: string;
  body: unknown;
}

export interface ApiResult {
  status: number;
  body?: unknown;
}

/** A Zoom-style error answer: HTTP status plus {code, message}. */
export class ZoomApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const noRecording = (): ZoomApiError => new ZoomApiError(404, 3301, 'There is no recording for this meeting.');

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
