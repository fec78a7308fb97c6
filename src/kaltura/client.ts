/**
 * Kaltura API v3 transport: one POST per call (JSON, format=1; multipart for
 * chunk uploads), a locally signed KS kept in the body (api_v3 reads no auth
 * header), exceptions turned into zk errors, bounded retries for reads only.
 */
import { randomBytes } from 'node:crypto';
import got, { RequestError, type Got } from 'got';
import { RetryableError, type ZkError } from '../errors.js';
import { systemClock, type Clock } from '../util/clock.js';
import { errorFromException, errorFromHttpStatus, isApiException, repeatable } from './classify.js';
import { generateKsV2 } from './ks.js';
import { createUploadTransport } from './upload-transport.js';
import type { Log } from '../log/port.js';

export interface KalturaCallInfo {
  service: string;
  action: string;
  /** Kaltura exception code, or HTTP_<status> / TRANSPORT on failures; absent on success. */
  code?: string;
}

export interface KalturaClientOptions {
  serviceUrl: string;
  partnerId: number;
  adminSecret: string;
  /** KS user (the integration's service account). */
  userId: string;
  /** KS privileges, e.g. 'disableentitlement'. */
  privileges: string;
  sessionExpiryMs: number;
  clock?: Clock;
  logger?: Log;
  onCall?: (info: KalturaCallInfo) => void;
  /** Retries of idempotent calls inside the adapter (default 2). */
  maxRetries?: number;
  /** Base delay between those retries (default 250 ms, doubled each time). */
  retryDelayMs?: number;
  /** Per-request timeout (default 120 s; chunks can be tens of MB). */
  requestTimeoutMs?: number;
  /** The wait an ACTION_BLOCKED answer implies (kaltura.actionBlockedWait). */
  actionBlockedWaitMs?: number;
}

export interface CallOptions {
  /** Safe to repeat (reads, updates, deletes, chunk uploads at a fixed offset). */
  idempotent?: boolean;
  signal?: AbortSignal;
}

/** One sub-request of a multirequest; a later one may use `{K:result:path}` (K = 1-based position in the batch). */
export interface SubRequest {
  service: string;
  action: string;
  params: Record<string, unknown>;
}

/** A file sent with a multirequest (multipart, all parameters in the `json` part): the `fileData` of item `item` (1-based). */
export interface MultiFile {
  item: number;
  chunk: Buffer;
  fileName: string;
}

/** Each sub-request succeeds or fails on its own; a failure is already classified (classify.ts). */
export type SubResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ZkError };

export interface KalturaClient {
  call<T = unknown>(service: string, action: string, params: Record<string, unknown>, opts?: CallOptions): Promise<T>;
  /**
   * One HTTP request running `requests` in order (POST /api_v3/service/multirequest). Transport and
   * HTTP failures throw (nothing is known of any item); API exceptions come back per item.
   * `idempotent` means every item is safe to repeat (reads), so transport failures are retried.
   */
  multi(requests: SubRequest[], opts?: CallOptions, file?: MultiFile): Promise<SubResult[]>;
  /** uploadtoken.upload as multipart (plain fields + `fileData`). */
  upload<T = unknown>(fields: Record<string, string>, chunk: Buffer, fileName: string, opts?: CallOptions): Promise<T>;
}

/** Escapes a multipart header value the way FormData does (WHATWG HTML "multipart/form-data encoding"). */
function headerValue(v: string): string {
  return v.replace(/\r\n|\r|\n/g, '%0D%0A').replace(/"/g, '%22');
}

/**
 * A multipart/form-data body as [head, chunk, tail] without copying the chunk.
 * FormData + Blob copied every chunk into a Blob and re-read it through a web
 * stream in small slices: about 2× the CPU and a second chunk-sized buffer per
 * upload in flight.
 */
export function multipartBody(fields: Record<string, string>, fileField: string, chunk: Buffer, fileName: string): { boundary: string; parts: Buffer[]; length: number } {
  const boundary = `----zk${randomBytes(12).toString('hex')}`;
  let head = '';
  for (const [k, v] of Object.entries(fields)) head += `--${boundary}\r\nContent-Disposition: form-data; name="${headerValue(k)}"\r\n\r\n${v}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${headerValue(fileField)}"; filename="${headerValue(fileName)}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const parts = [Buffer.from(head, 'utf8'), chunk, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')];
  return { boundary, parts, length: parts.reduce((n, b) => n + b.length, 0) };
}

/** A Node transport error's code (ECONNRESET, ETIMEDOUT...), for the message only. */
function transportCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function multipartHeaders(mp: { boundary: string; length: number }): Record<string, string> {
  return { accept: 'application/json', 'user-agent': 'zk', 'content-type': `multipart/form-data; boundary=${mp.boundary}`, 'content-length': String(mp.length) };
}

interface Session {
  ks: string;
  /** Regenerate at or after this epoch ms. */
  renewAt: number;
}

export function createKalturaClient(opts: KalturaClientOptions): KalturaClient {
  const clock = opts.clock ?? systemClock();
  const base = opts.serviceUrl.replace(/\/+$/, '');
  const maxRetries = opts.maxRetries ?? 2;
  const retryDelayMs = opts.retryDelayMs ?? 250;
  const timeoutMs = opts.requestTimeoutMs ?? 120_000;
  // Bodies that carry file bytes (chunk uploads) skip got: see upload-transport.ts.
  const uploads = createUploadTransport();
  const http: Got = got.extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    timeout: { request: timeoutMs },
    headers: { accept: 'application/json', 'user-agent': 'zk' },
  });
  let session: Session | undefined;

  const freshSession = (): Session => {
    const now = clock.now();
    const expirySec = Math.max(60, Math.floor(opts.sessionExpiryMs / 1000));
    const ks = generateKsV2({
      adminSecret: opts.adminSecret,
      partnerId: opts.partnerId,
      userId: opts.userId,
      type: 2,
      expirySec,
      privileges: opts.privileges,
      now,
    });
    // Renew with a margin (10 %, at most 5 min) so a KS never expires mid-request.
    const margin = Math.min(300_000, expirySec * 100);
    return { ks, renewAt: now + expirySec * 1000 - margin };
  };
  const currentKs = (): string => {
    if (!session || clock.now() >= session.renewAt) session = freshSession();
    return session.ks;
  };

  /** One HTTP exchange: transport and HTTP failures classified, the body parsed; API exceptions left to the caller. */
  async function transport(service: string, action: string, signal: AbortSignal | undefined, ks: string, send: (ks: string) => Promise<{ statusCode: number; body: string }>): Promise<unknown> {
    const where = `${service}.${action}`;
    let res: { statusCode: number; body: string };
    try {
      res = await send(ks);
    } catch (err) {
      opts.onCall?.({ service, action, code: 'TRANSPORT' });
      // Cancellation is the caller's decision, not a remote failure: pass it through unclassified.
      if (signal?.aborted) throw signal.reason ?? err;
      const code = err instanceof RequestError ? err.code : transportCode(err);
      throw new RetryableError(`kaltura ${where}: transport failure${code ? ` (${code})` : ''}`, { source: 'kaltura', code: 'TRANSPORT', cause: err });
    }
    if (res.statusCode !== 200) {
      opts.onCall?.({ service, action, code: `HTTP_${res.statusCode}` });
      throw errorFromHttpStatus(res.statusCode, where);
    }
    try {
      return JSON.parse(res.body) as unknown;
    } catch {
      opts.onCall?.({ service, action, code: 'NON_JSON' });
      throw new RetryableError(`kaltura ${where}: response is not JSON`, { source: 'kaltura', code: 'NON_JSON', status: 200 });
    }
  }

  async function exchange(service: string, action: string, signal: AbortSignal | undefined, send: (ks: string) => Promise<{ statusCode: number; body: string }>): Promise<unknown> {
    const where = `${service}.${action}`;
    let regenerated = false;
    for (;;) {
      const body = await transport(service, action, signal, currentKs(), send);
      if (isApiException(body)) {
        opts.onCall?.({ service, action, code: body.code });
        // A rejected KS means the call never ran, so one retry with a fresh KS is safe even for creates.
        if (body.code === 'INVALID_KS' && !regenerated) {
          regenerated = true;
          session = freshSession();
          opts.logger?.warn('kaltura session rejected; regenerated it once', { service, action });
          continue;
        }
        throw errorFromException(body, where, { actionBlockedWaitMs: opts.actionBlockedWaitMs });
      }
      opts.onCall?.({ service, action });
      return body;
    }
  }

  /**
   * A multirequest's exchange: the answer is an array in execution order, one result or API exception
   * per item, each classified here exactly like a single call's. When every item says INVALID_KS no
   * item ran, so the batch is sent once more with a fresh KS (as a single call is).
   */
  async function exchangeMulti(requests: SubRequest[], signal: AbortSignal | undefined, file: MultiFile | undefined): Promise<SubResult[]> {
    const label = requests.map((r) => `${r.service}.${r.action}`).join('+');
    let regenerated = false;
    for (;;) {
      const body = await transport('multirequest', label, signal, currentKs(), async (ks) => {
        const payload: Record<string, unknown> = { ks, format: 1, clientTag: 'zk' };
        // Keys from 1, so an item's key is also its back-reference ordinal.
        requests.forEach((r, i) => {
          payload[String(i + 1)] = { ...r.params, service: r.service, action: r.action };
        });
        if (file) {
          // Kaltura's multipart form with a `json` part: the file merges into item N as `N:fileData`.
          const mp = multipartBody({ json: JSON.stringify(payload) }, `${file.item}:fileData`, file.chunk, file.fileName);
          return uploads.post(`${base}/api_v3/service/multirequest`, multipartHeaders(mp), mp.parts, { timeoutMs, signal });
        }
        const res = await http.post(`${base}/api_v3/service/multirequest`, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal,
        });
        return { statusCode: res.statusCode, body: res.body };
      });
      if (isApiException(body)) {
        // The whole request was refused (e.g. a malformed batch): nothing ran.
        opts.onCall?.({ service: 'multirequest', action: label, code: body.code });
        throw errorFromException(body, `multirequest ${label}`, { actionBlockedWaitMs: opts.actionBlockedWaitMs });
      }
      if (!Array.isArray(body)) {
        opts.onCall?.({ service: 'multirequest', action: label, code: 'NON_ARRAY' });
        throw new RetryableError(`kaltura multirequest ${label}: response is not an array`, { source: 'kaltura', code: 'NON_JSON', status: 200 });
      }
      const allKsRejected = body.length > 0 && body.every((item) => isApiException(item) && item.code === 'INVALID_KS');
      if (allKsRejected && !regenerated) {
        regenerated = true;
        session = freshSession();
        opts.logger?.warn('kaltura session rejected; regenerated it once', { service: 'multirequest', action: label });
        continue;
      }
      return requests.map((r, i): SubResult => {
        const where = `${r.service}.${r.action}`;
        if (i >= body.length) {
          // The server stops at a gap; zk never sends one, so a short answer is a broken exchange.
          opts.onCall?.({ service: r.service, action: r.action, code: 'MISSING_RESULT' });
          return { ok: false, error: new RetryableError(`kaltura ${where}: no result in the multirequest answer`, { source: 'kaltura', code: 'MISSING_RESULT' }) };
        }
        const item: unknown = body[i];
        if (isApiException(item)) {
          opts.onCall?.({ service: r.service, action: r.action, code: item.code });
          return { ok: false, error: errorFromException(item, where, { actionBlockedWaitMs: opts.actionBlockedWaitMs }) };
        }
        opts.onCall?.({ service: r.service, action: r.action });
        return { ok: true, value: item };
      });
    }
  }

  async function withRetries<T>(service: string, action: string, idempotent: boolean, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        // Throttling (ACTION_BLOCKED carries its wait) is not retried here: the engine's retry layer owns that wait.
        const retry = idempotent && attempt < maxRetries && err instanceof RetryableError && err.retryAfterMs === undefined && repeatable(err) && !signal?.aborted;
        if (!retry) throw err;
        opts.logger?.debug('kaltura call failed; retrying', { service, action, attempt: attempt + 1, code: (err as ZkError).code });
        await clock.sleep(retryDelayMs * 2 ** attempt, signal);
      }
    }
  }

  const urlOf = (service: string, action: string) => `${base}/api_v3/service/${service}/action/${action}`;

  return {
    call<T>(service: string, action: string, params: Record<string, unknown>, o: CallOptions = {}) {
      return withRetries(service, action, !!o.idempotent, o.signal, () =>
        exchange(service, action, o.signal, async (ks) => {
          const res = await http.post(urlOf(service, action), {
            // Exactly "application/json": the server ignores the body for any other spelling.
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ...params, ks, format: 1, clientTag: 'zk' }),
            signal: o.signal,
          });
          return { statusCode: res.statusCode, body: res.body };
        }),
      ) as Promise<T>;
    },
    multi(requests: SubRequest[], o: CallOptions = {}, file?: MultiFile) {
      if (requests.length === 0) return Promise.resolve([]);
      return withRetries('multirequest', requests.map((r) => `${r.service}.${r.action}`).join('+'), !!o.idempotent, o.signal, () => exchangeMulti(requests, o.signal, file));
    },
    upload<T>(fields: Record<string, string>, chunk: Buffer, fileName: string, o: CallOptions = {}) {
      return withRetries('uploadtoken', 'upload', !!o.idempotent, o.signal, () =>
        exchange('uploadtoken', 'upload', o.signal, async (ks) => {
          const body = multipartBody({ ks, format: '1', clientTag: 'zk', ...fields }, 'fileData', chunk, fileName);
          return uploads.post(urlOf('uploadtoken', 'upload'), multipartHeaders(body), body.parts, { timeoutMs, signal: o.signal });
        }),
      ) as Promise<T>;
    },
  };
}
