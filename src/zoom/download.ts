/**
 * Opening a recording file's bytes: GET download_url with the Bearer token,
 * follow redirects by hand (the token goes to Zoom's own origin only, never to
 * the CDN host), ask for
 * `Range: bytes=offset-`, and refuse anything that is not exactly the rest of
 * the file (HTML error pages come back as 200 text/html).
 *
 * The GET goes over node:http(s), not got: the body is the download's hot
 * path, and got's extra stream layer (a Duplex fed from the response, with a
 * progress event per read) added CPU and garbage per 64 KiB read (bench
 * section 6, 512 MiB, seven interleaved `--only ceiling` runs each: median
 * CPU per file 2.34 -> 1.97 s, ratio to curl 0.57 -> 0.67). got's three
 * timeouts (connect, response, socket idle) are kept below.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { PassThrough, type Readable } from 'node:stream';
import type { DownloadOptions, DownloadStream, ZoomRecordingFile } from '../ingest/ports.js';
import type { Clock } from '../util/clock.js';
import type { ZoomApiClient, ZoomCallInfo } from './api-client.js';
import { classifyZoomAnswer, ZOOM_FAILURES } from './classify.js';
import { type BackoffPolicy, withZoomRetry } from './retry.js';
import type { TokenProvider } from './token.js';

export interface DownloadDeps {
  api: ZoomApiClient;
  tokens: TokenProvider;
  clock: Clock;
  backoff: BackoffPolicy;
  maxRetries: number;
  /** Longest Retry-After waited out here; a longer one goes up to the engine. */
  maxRetryAfterMs: number;
  account: string;
  onCall?: (info: ZoomCallInfo) => void;
}

interface Opened {
  status: number;
  headers: IncomingHttpHeaders;
  stream: Readable;
}

const MAX_REDIRECTS = 3;

/** Idle socket timeout, not a total one: multi-GB bodies take a while. */
const TIMEOUTS = { connect: 15_000, response: 60_000, socket: 120_000 };

/** A transport timeout; the name and code are the ones classify.ts treats as transient network failures. */
class DownloadTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(phase: keyof typeof TIMEOUTS) {
    super(`zoom download: ${phase} timed out after ${TIMEOUTS[phase]} ms`);
    this.name = 'TimeoutError';
  }
}

/** Resolves when response headers arrive; the body stays unread in `stream`. */
function open(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? https : http).request(u, { headers, signal }, (res) => {
      clearTimeout(responseTimer);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, stream: res });
    });
    const responseTimer = setTimeout(() => req.destroy(new DownloadTimeoutError('response')), TIMEOUTS.response);
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connectTimer = setTimeout(() => req.destroy(new DownloadTimeoutError('connect')), TIMEOUTS.connect);
      socket.once('connect', () => clearTimeout(connectTimer));
      req.once('close', () => clearTimeout(connectTimer));
    });
    // A stall mid-body destroys the request; the response then errors and guarded() classifies it.
    req.setTimeout(TIMEOUTS.socket, () => req.destroy(new DownloadTimeoutError('socket')));
    req.on('error', (err) => {
      clearTimeout(responseTimer);
      reject(err);
    });
    req.on('close', () => clearTimeout(responseTimer));
    req.end();
  });
}

function discard(o: Opened): void {
  o.stream.destroy();
}

/** Mid-body failures surface as RetryableError so the caller resumes from the bytes it has. */
function guarded(src: Readable, file: ZoomRecordingFile): Readable {
  const out = new PassThrough();
  src.on('error', (err) => out.destroy(ZOOM_FAILURES.downloadBroken(file.id, err)));
  out.on('close', () => {
    if (!src.destroyed) src.destroy();
  });
  src.pipe(out);
  return out;
}

export async function openZoomDownload(deps: DownloadDeps, file: ZoomRecordingFile, offset: number, signal?: AbortSignal, dl: DownloadOptions = {}): Promise<DownloadStream> {
  const anyLength = dl.anyLength === true;
  // An anyLength download takes whatever Zoom serves: no expected length, no Range.
  const expected = anyLength ? undefined : file.fileSize - offset;
  if (!file.downloadUrl) throw ZOOM_FAILURES.noDownloadUrl(file.id);
  if (anyLength && offset !== 0) throw ZOOM_FAILURES.anyLengthOffset(file.id);
  if (offset < 0 || (expected !== undefined && expected <= 0)) throw ZOOM_FAILURES.nothingFromOffset(file.id, offset);
  let token = '';
  return withZoomRetry(
    {
      clock: deps.clock,
      backoff: deps.backoff,
      maxRetries: deps.maxRetries,
      maxRetryAfterMs: deps.maxRetryAfterMs,
      account: deps.account,
      what: `download of file ${file.id}`,
      signal,
      refreshToken: () => deps.tokens.invalidate(token),
    },
    async () => {
      token = await deps.tokens.get(signal);
      return attemptOpen(deps, file, offset, expected, token, signal);
    },
  );
}

/** Same origin (scheme, host, port) as the download_url: only there does the Zoom token go. */
function sameOrigin(a: string, b: string): boolean {
  return new URL(a).origin === new URL(b).origin;
}

async function attemptOpen(deps: DownloadDeps, file: ZoomRecordingFile, offset: number, expected: number | undefined, token: string, signal?: AbortSignal): Promise<DownloadStream> {
  const range: Record<string, string> = expected === undefined ? {} : { range: `bytes=${offset}-` };
  const auth = { authorization: `Bearer ${token}` };
  let url = file.downloadUrl;
  let res = await deps.api.paced(() => open(url, { ...range, ...auth }, signal), signal);
  deps.onCall?.({ endpoint: 'GET /rec/download', status: res.status, account: deps.account });
  for (let hop = 0; res.status >= 300 && res.status < 400 && hop < MAX_REDIRECTS; hop++) {
    const location = res.headers.location;
    discard(res);
    if (!location) throw ZOOM_FAILURES.redirectWithoutLocation(file.id, res.status);
    url = new URL(location, url).toString();
    // Another host (the CDN) gets the signed URL only: the Zoom token never leaves Zoom's own origin.
    res = await open(url, sameOrigin(url, file.downloadUrl) ? { ...range, ...auth } : range, signal);
  }
  const ctype = String(res.headers['content-type'] ?? '');
  if (res.status >= 300 && res.status < 400) {
    discard(res);
    throw ZOOM_FAILURES.tooManyRedirects(file.id, MAX_REDIRECTS, res.status);
  }
  if (res.status !== 200 && res.status !== 206) {
    const text = await readSmall(res.stream);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (res.status === 429) deps.api.noteRateLimit({ statusCode: 429, headers: res.headers as never });
    throw classifyZoomAnswer({ kind: 'download', what: `download of file ${file.id}`, account: deps.account, status: res.status, headers: res.headers, body }, deps.clock);
  }
  const fail = (err: Error): never => {
    discard(res);
    throw err;
  };
  if (/text\/html/i.test(ctype)) {
    fail(ZOOM_FAILURES.htmlInsteadOfFile(file.id, res.status));
  }
  const length = Number(res.headers['content-length'] ?? NaN);
  if (expected === undefined) {
    if (res.status !== 200) fail(ZOOM_FAILURES.wholeFileStatus(file.id, res.status));
    return { stream: guarded(res.stream, file), contentLength: Number.isFinite(length) ? length : -1, offset: 0, contentType: ctype };
  }
  const rangeStart = res.status === 206 ? Number(/^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''))?.[1]) : 0;
  if (!Number.isFinite(length) || length !== expected || rangeStart !== offset) {
    fail(ZOOM_FAILURES.sizeMismatch(file.id, length, rangeStart, expected, offset, res.status));
  }
  return { stream: guarded(res.stream, file), contentLength: length, offset, contentType: ctype };
}

async function readSmall(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    chunks.push(c as Buffer);
    size += (c as Buffer).length;
    if (size > 64 * 1024) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).toString('utf8');
}
