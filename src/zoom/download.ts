/**
 * Opening a recording file's bytes: GET download_url with the Bearer token,
 * follow the 302 by hand (the Zoom token never goes to the CDN host), ask for
 * `Range: bytes=offset-`, and refuse anything that is not exactly the rest of
 * the file (HTML error pages come back as 200 text/html).
 */
import { got } from 'got';
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { FatalError, PermanentError, RetryableError, ZkError } from '../errors.js';
import type { DownloadStream, ZoomRecordingFile } from '../ingest/ports.js';
import type { Clock } from '../util/clock.js';
import type { ZoomApiClient, ZoomCallInfo } from './api-client.js';
import { type BackoffPolicy, backoffMs, isTransientNetworkError } from './retry.js';
import type { TokenProvider } from './token.js';

export interface DownloadDeps {
  api: ZoomApiClient;
  tokens: TokenProvider;
  clock: Clock;
  backoff: BackoffPolicy;
  maxRetries: number;
  account: string;
  onCall?: (info: ZoomCallInfo) => void;
}

interface Opened {
  status: number;
  headers: IncomingHttpHeaders;
  stream: Readable;
}

const MAX_REDIRECTS = 3;

/** Resolves when response headers arrive; the body stays unread in `stream`. */
function open(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const stream = got.stream(url, {
      headers,
      throwHttpErrors: false,
      retry: { limit: 0 },
      followRedirect: false,
      decompress: false,
      // Idle socket timeout, not a total one: multi-GB bodies take a while.
      timeout: { connect: 15_000, response: 60_000, socket: 120_000 },
      signal,
    });
    stream.once('response', (res: { statusCode: number; headers: IncomingHttpHeaders }) => resolve({ status: res.statusCode, headers: res.headers, stream }));
    stream.once('error', reject);
  });
}

function discard(o: Opened): void {
  o.stream.destroy();
}

/** Mid-body failures surface as RetryableError so the caller resumes from the bytes it has. */
function guarded(src: Readable, file: ZoomRecordingFile): Readable {
  const out = new PassThrough();
  src.on('error', (err) => out.destroy(new RetryableError(`download of zoom file ${file.id} broke off`, { source: 'zoom', code: 'ZOOM_DOWNLOAD_BROKEN', cause: err })));
  out.on('close', () => {
    if (!src.destroyed) src.destroy();
  });
  src.pipe(out);
  return out;
}

export async function openZoomDownload(deps: DownloadDeps, file: ZoomRecordingFile, offset: number, signal?: AbortSignal): Promise<DownloadStream> {
  const expected = file.fileSize - offset;
  if (!file.downloadUrl) throw new PermanentError(`zoom file ${file.id} has no download_url`, { source: 'zoom', code: 'ZOOM_NO_DOWNLOAD_URL' });
  if (offset < 0 || expected <= 0) throw new PermanentError(`zoom file ${file.id}: nothing to download from offset ${offset}`, { source: 'zoom', code: 'ZOOM_BAD_OFFSET' });
  let refreshed = false;
  let lastError: unknown;
  for (let attempt = 0; attempt <= deps.maxRetries; attempt++) {
    if (signal?.aborted) throw signal.reason;
    try {
      return await attemptOpen(deps, file, offset, expected, signal);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (err instanceof AuthRetry && !refreshed) {
        refreshed = true;
        deps.tokens.invalidate(err.token);
        attempt -= 1;
        continue;
      }
      if (err instanceof AuthRetry) {
        throw new FatalError(`zoom rejected the access token of account ${deps.account} for a download`, { source: 'zoom', code: 'ZOOM_AUTH', status: 401 });
      }
      if (err instanceof ZkError && !(err instanceof TransientOpen)) throw err;
      if (!(err instanceof TransientOpen) && !isTransientNetworkError(err)) {
        throw new RetryableError(`zoom download of file ${file.id} failed`, { source: 'zoom', code: 'ZOOM_NETWORK', cause: err });
      }
      lastError = err;
      await deps.clock.sleep(err instanceof TransientOpen && err.retryAfterMs !== undefined ? err.retryAfterMs : backoffMs(deps.backoff, attempt), signal);
    }
  }
  if (lastError instanceof TransientOpen) {
    throw new RetryableError(lastError.message, { source: 'zoom', code: lastError.code, status: lastError.status, retryAfterMs: lastError.retryAfterMs });
  }
  throw new RetryableError(`zoom download of file ${file.id} kept failing`, { source: 'zoom', code: 'ZOOM_NETWORK', cause: lastError });
}

/** Internal: a 401 on the redirect hop (token expired). */
class AuthRetry extends Error {
  constructor(readonly token: string) {
    super('401');
  }
}

/** Internal: worth retrying inside openDownload (5xx, 429, expired CDN signature). */
class TransientOpen extends RetryableError {}

async function attemptOpen(deps: DownloadDeps, file: ZoomRecordingFile, offset: number, expected: number, signal?: AbortSignal): Promise<DownloadStream> {
  const token = await deps.tokens.get(signal);
  const range = { range: `bytes=${offset}-` };
  let url = file.downloadUrl;
  let res = await deps.api.paced(() => open(url, { ...range, authorization: `Bearer ${token}` }, signal), signal);
  deps.onCall?.({ endpoint: 'GET /rec/download', status: res.status, account: deps.account });
  for (let hop = 0; res.status >= 300 && res.status < 400 && hop < MAX_REDIRECTS; hop++) {
    const location = res.headers.location;
    discard(res);
    if (!location) throw new TransientOpen(`zoom redirect without Location for file ${file.id}`, { source: 'zoom', code: 'ZOOM_BAD_REDIRECT', status: res.status });
    url = new URL(location, url).toString();
    // The signed CDN URL is the credential here: no Authorization header.
    res = await open(url, range, signal);
  }
  const ctype = String(res.headers['content-type'] ?? '');
  const fail = (err: Error): never => {
    discard(res);
    throw err;
  };
  if (res.status === 401) fail(new AuthRetry(token));
  if (res.status === 429) {
    const wait = deps.api.noteRateLimit({ statusCode: 429, headers: res.headers as never });
    fail(new TransientOpen(`zoom download rate limited for file ${file.id}`, { source: 'zoom', code: 'ZOOM_429', status: 429, retryAfterMs: wait }));
  }
  if (res.status >= 500 || res.status === 403) {
    // 403 from the CDN: the signature expired between redirect and fetch; a new redirect fixes it.
    fail(new TransientOpen(`zoom download answered ${res.status} for file ${file.id}`, { source: 'zoom', code: `ZOOM_HTTP_${res.status}`, status: res.status }));
  }
  if (res.status === 400) {
    const text = await readSmall(res.stream);
    const code = (() => {
      try {
        return (JSON.parse(text) as { code?: number }).code;
      } catch {
        return undefined;
      }
    })();
    if (code === 4711) throw new FatalError(`zoom account ${deps.account} lacks the download scope: ${text.slice(0, 200)}`, { source: 'zoom', code: 'ZOOM_4711', status: 400 });
    throw new PermanentError(`zoom download answered 400/${code ?? '?'} for file ${file.id}`, { source: 'zoom', code: `ZOOM_${code ?? 400}`, status: 400 });
  }
  if (/text\/html/i.test(ctype)) {
    // Deleted/trashed/unauthorised files come back as 200 text/html, never as a 4xx.
    fail(new RetryableError(`zoom served an HTML page instead of file ${file.id}`, { source: 'zoom', code: 'ZOOM_HTML_BODY', status: res.status }));
  }
  if (res.status !== 200 && res.status !== 206) {
    fail(new RetryableError(`zoom download answered ${res.status} for file ${file.id}`, { source: 'zoom', code: `ZOOM_HTTP_${res.status}`, status: res.status }));
  }
  const length = Number(res.headers['content-length']);
  const rangeStart = res.status === 206 ? Number(/^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''))?.[1]) : 0;
  if (!Number.isFinite(length) || length !== expected || rangeStart !== offset) {
    fail(
      new RetryableError(`zoom file ${file.id}: got ${Number.isFinite(length) ? length : 'unknown'} bytes from ${rangeStart}, expected ${expected} from ${offset}`, {
        source: 'zoom',
        code: 'ZOOM_SIZE_MISMATCH',
        status: res.status,
      }),
    );
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
